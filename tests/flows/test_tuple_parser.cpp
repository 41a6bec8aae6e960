// The tuple scanner: every field of each format, IPv6, each kind of bad value, and a seeded
// differential test against a slow reference (split on commas, net::Address::parse, strtoull) on
// random and mutated tuples.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/flows/tuple_parser.h"

namespace ztnet::flows {
namespace {

net::Address ip(const char* text) {
    return *net::Address::parse(text);
}

FlowTuple parsed(std::string_view text, Format format) {
    FlowTuple tuple;
    const TupleProblem problem = parse_tuple(text, format, tuple);
    EXPECT_FALSE(problem) << text << ": " << describe(problem.error) << " in field " << int(problem.field);
    return tuple;
}

TEST(TupleParser, ReadsNsgVersion1) {
    const FlowTuple t = parsed("1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I,D", Format::NsgV1);
    EXPECT_EQ(t.time_ms, 1487282421000); // seconds in NSG logs
    EXPECT_EQ(t.source, ip("42.119.146.95"));
    EXPECT_EQ(t.destination, ip("10.1.0.4"));
    EXPECT_EQ(t.source_port, 51529);
    EXPECT_EQ(t.destination_port, 5358);
    EXPECT_EQ(t.protocol, 6);
    EXPECT_EQ(t.direction, net::Direction::Inbound);
    EXPECT_EQ(t.decision, Decision::Deny);
    EXPECT_EQ(t.state, FlowState::None);
    EXPECT_EQ(t.encryption, Encryption::Unknown);
    EXPECT_FALSE(t.has_counters);
    EXPECT_EQ(parsed("1487282481,195.78.210.194,10.1.0.4,53,1732,U,O,A", Format::NsgV1).protocol, 17);
}

TEST(TupleParser, ReadsNsgVersion2WithAndWithoutCounters) {
    const FlowTuple e =
        parsed("1542110379,10.5.16.4,13.67.143.115,44931,443,T,O,A,C,30,16978,24,14008", Format::NsgV2);
    EXPECT_EQ(e.direction, net::Direction::Outbound);
    EXPECT_EQ(e.decision, Decision::Allow);
    EXPECT_EQ(e.state, FlowState::Continuing);
    EXPECT_TRUE(e.has_counters);
    EXPECT_EQ(e.counters, (Counters{30, 16978, 24, 14008}));
    const FlowTuple b = parsed("1542110402,94.102.49.190,10.5.16.4,28746,443,U,I,D,B,,,,", Format::NsgV2);
    EXPECT_EQ(b.state, FlowState::Begin);
    EXPECT_FALSE(b.has_counters);
    EXPECT_EQ(parsed("1542110379,10.5.16.4,13.67.143.117,59932,443,T,O,A,E,1,66,1,66", Format::NsgV2).state,
              FlowState::End);
}

TEST(TupleParser, ReadsVnetTuples) {
    const FlowTuple t =
        parsed("1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580", Format::Vnet);
    EXPECT_EQ(t.time_ms, 1663146003606); // milliseconds in VNet logs
    EXPECT_EQ(t.protocol, 6);
    EXPECT_EQ(t.state, FlowState::End);
    EXPECT_EQ(t.decision, Decision::Allow);
    EXPECT_EQ(t.encryption, Encryption::NotEncrypted);
    EXPECT_EQ(t.encryption_text, "NX");
    EXPECT_EQ(t.counters, (Counters{3, 767, 2, 1580}));
    const FlowTuple d =
        parsed("1663145998065,101.33.218.153,10.0.0.6,55188,22,6,I,D,NX,0,0,0,0", Format::Vnet);
    EXPECT_EQ(d.state, FlowState::Deny);
    EXPECT_EQ(d.decision, Decision::Deny);
    EXPECT_TRUE(d.has_counters); // zeros written out are counters, unlike empty fields
    const FlowTuple x = parsed("1663146003606,10.0.0.6,10.0.1.7,5000,1433,6,O,C,X,1,2,3,4", Format::Vnet);
    EXPECT_EQ(x.encryption, Encryption::Encrypted);
    const FlowTuple hw =
        parsed("1663146003606,10.0.0.6,10.0.1.7,5000,1433,6,O,B,NX_HW_NOT_SUPPORTED,,,,", Format::Vnet);
    EXPECT_EQ(hw.encryption, Encryption::NotEncrypted);
    EXPECT_EQ(hw.encryption_text, "NX_HW_NOT_SUPPORTED");
    EXPECT_FALSE(hw.has_counters);
    const FlowTuple future = parsed("1663146003606,10.0.0.6,10.0.1.7,0,0,1,I,B,Q_NEW,0,0,0,0", Format::Vnet);
    EXPECT_EQ(future.encryption, Encryption::Unknown);
    EXPECT_EQ(future.encryption_text, "Q_NEW");
    EXPECT_EQ(future.protocol, 1);
}

TEST(TupleParser, ReadsIpv6Addresses) {
    const FlowTuple t =
        parsed("1663146003606,2001:db8::1,fd00:0:0:1::5,50000,443,6,O,B,NX,0,0,0,0", Format::Vnet);
    EXPECT_EQ(t.source, ip("2001:db8::1"));
    EXPECT_TRUE(t.source.is_v6());
    EXPECT_EQ(t.destination, ip("fd00:0:0:1::5"));
    const FlowTuple mapped = parsed("1487282421,::ffff:10.0.0.1,FE80::1,1,2,U,I,A", Format::NsgV1);
    EXPECT_TRUE(mapped.source.is_v6());
    EXPECT_EQ(mapped.destination, ip("fe80::1"));
}

TEST(TupleParser, AcceptsTheRangesEdges) {
    const FlowTuple t =
        parsed("0,0.0.0.0,255.255.255.255,0,65535,255,I,D,X,0,0,0,9999999999999999999", Format::Vnet);
    EXPECT_EQ(t.destination_port, 65535);
    EXPECT_EQ(t.protocol, 255);
    EXPECT_EQ(t.counters.bytes_received, 9999999999999999999u);
    EXPECT_EQ(parsed("253402300799999,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,0,0,0,0", Format::Vnet).time_ms,
              kMaxTimeMs);
    EXPECT_EQ(parsed("253402300799,1.2.3.4,1.2.3.4,1,1,T,I,A", Format::NsgV1).time_ms, kMaxTimeMs - 999);
}

struct Bad {
    const char* text;
    Format format;
    TupleError error;
    int field;
};

TEST(TupleParser, RejectsEachKindOfBadValue) {
    const Bad cases[] = {
        {"1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I", Format::NsgV1, TupleError::FieldCount, 6},
        {"1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I,D,B", Format::NsgV1, TupleError::FieldCount, 7},
        {"1542110402,94.102.49.190,10.5.16.4,28746,443,U,I,D", Format::NsgV2, TupleError::FieldCount, 7},
        {"", Format::Vnet, TupleError::FieldCount, 0},
        {"1,2,3", Format::Vnet, TupleError::FieldCount, 2},
        {"x,10.0.0.256,1.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Time, 0},
        {"-1,1.2.3.4,1.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Time, 0},
        {"253402300800,1.2.3.4,1.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Time, 0},
        {"253402300800000,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,0,0,0,0", Format::Vnet, TupleError::Time, 0},
        {"1,10.0.0.256,1.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Address, 1},
        {"1,10.0.0.1,01.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Address, 2},
        {"1,10.0.0.1,fe80::1%eth0,1,1,T,I,A", Format::NsgV1, TupleError::Address, 2},
        {"1,10.0.0.1, 1.2.3.4,1,1,T,I,A", Format::NsgV1, TupleError::Address, 2},
        {"1,1.2.3.4,1.2.3.4,65536,1,T,I,A", Format::NsgV1, TupleError::Port, 3},
        {"1,1.2.3.4,1.2.3.4,1,+1,T,I,A", Format::NsgV1, TupleError::Port, 4},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,A", Format::NsgV1, TupleError::Protocol, 5},
        {"1,1.2.3.4,1.2.3.4,1,1,256,I,B,NX,0,0,0,0", Format::Vnet, TupleError::Protocol, 5},
        {"1,1.2.3.4,1.2.3.4,1,1,T,i,A", Format::NsgV1, TupleError::Direction, 6},
        {"1,1.2.3.4,1.2.3.4,1,1,T,I,AD", Format::NsgV1, TupleError::Decision, 7},
        {"1,1.2.3.4,1.2.3.4,1,1,T,I,A,D,,,,", Format::NsgV2, TupleError::State, 8},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,A,NX,0,0,0,0", Format::Vnet, TupleError::State, 7},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,,0,0,0,0", Format::Vnet, TupleError::Encryption, 8},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,nx,0,0,0,0", Format::Vnet, TupleError::Encryption, 8},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,1,,,", Format::Vnet, TupleError::Counter, 10},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,,,,1", Format::Vnet, TupleError::Counter, 12},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,1,2,3,99999999999999999999", Format::Vnet, TupleError::Counter, 12},
        {"1,1.2.3.4,1.2.3.4,1,1,6,I,B,NX,1,2,3,4,", Format::Vnet, TupleError::FieldCount, 12},
    };
    for (const Bad& c : cases) {
        FlowTuple tuple;
        const TupleProblem problem = parse_tuple(c.text, c.format, tuple);
        EXPECT_EQ(problem.error, c.error) << c.text << ": " << describe(problem.error);
        EXPECT_EQ(problem.field, c.field) << c.text;
    }
    FlowTuple tuple;
    EXPECT_EQ(parse_tuple(std::string(kMaxTupleBytes + 1, '1'), Format::Vnet, tuple).error,
              TupleError::TooLong);
}

TEST(TupleParser, NamesFieldsPerFormat) {
    EXPECT_EQ(field_name(Format::NsgV1, 7), "decision");
    EXPECT_EQ(field_name(Format::NsgV1, 8), "field");
    EXPECT_EQ(field_name(Format::NsgV2, 8), "flow state");
    EXPECT_EQ(field_name(Format::Vnet, 8), "encryption");
    EXPECT_EQ(field_name(Format::Vnet, 12), "bytes received");
}

// The reference: the tuple split on commas, each field checked by the obvious means.
std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
        fields.push_back(text.substr(start, comma - start));
    fields.push_back(text.substr(start));
    return fields;
}

std::optional<std::uint64_t> decimal(const std::string& field, std::uint64_t max) {
    if (field.empty() || field.size() > 19 || field.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    errno = 0;
    const unsigned long long value = std::strtoull(field.c_str(), nullptr, 10);
    if (errno != 0 || value > max)
        return std::nullopt;
    return value;
}

bool reference_counters(const std::vector<std::string>& f, FlowTuple& t) {
    std::size_t empty = 0;
    std::uint64_t values[4] = {};
    for (std::size_t i = 0; i < 4; ++i) {
        if (f[9 + i].empty()) {
            ++empty;
            continue;
        }
        const auto value = decimal(f[9 + i], UINT64_MAX);
        if (!value)
            return false;
        values[i] = *value;
    }
    if (empty != 0 && empty != 4)
        return false;
    t.has_counters = empty == 0;
    t.counters = {values[0], values[1], values[2], values[3]};
    return true;
}

bool reference_common(const std::vector<std::string>& f, Format format, FlowTuple& t) {
    const bool seconds = format != Format::Vnet;
    const auto time = decimal(f[0], seconds ? kMaxTimeMs / 1000 : kMaxTimeMs);
    const auto source = net::Address::parse(f[1]);
    const auto destination = net::Address::parse(f[2]);
    const auto source_port = decimal(f[3], 65535);
    const auto destination_port = decimal(f[4], 65535);
    if (!time || !source || !destination || !source_port || !destination_port)
        return false;
    t.time_ms = static_cast<std::int64_t>(seconds ? *time * 1000 : *time);
    t.source = *source;
    t.destination = *destination;
    t.source_port = static_cast<std::uint16_t>(*source_port);
    t.destination_port = static_cast<std::uint16_t>(*destination_port);
    if (f[6] != "I" && f[6] != "O")
        return false;
    t.direction = f[6] == "I" ? net::Direction::Inbound : net::Direction::Outbound;
    return true;
}

bool reference_nsg(const std::vector<std::string>& f, Format format, FlowTuple& t) {
    if ((f[5] != "T" && f[5] != "U") || (f[7] != "A" && f[7] != "D"))
        return false;
    t.protocol = f[5] == "T" ? 6 : 17;
    t.decision = f[7] == "A" ? Decision::Allow : Decision::Deny;
    if (format == Format::NsgV1)
        return true;
    if (f[8] != "B" && f[8] != "C" && f[8] != "E")
        return false;
    t.state = f[8] == "B" ? FlowState::Begin : f[8] == "C" ? FlowState::Continuing : FlowState::End;
    return reference_counters(f, t);
}

bool reference_vnet(const std::vector<std::string>& f, FlowTuple& t) {
    const auto protocol = decimal(f[5], 255);
    if (!protocol || (f[7] != "B" && f[7] != "C" && f[7] != "E" && f[7] != "D") || f[8].empty() ||
        f[8].find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
        return false;
    t.protocol = static_cast<std::uint8_t>(*protocol);
    t.state = f[7] == "B"   ? FlowState::Begin
              : f[7] == "C" ? FlowState::Continuing
              : f[7] == "E" ? FlowState::End
                            : FlowState::Deny;
    t.decision = t.state == FlowState::Deny ? Decision::Deny : Decision::Allow;
    t.encryption = f[8] == "X"                                 ? Encryption::Encrypted
                   : f[8] == "NX" || f[8].rfind("NX_", 0) == 0 ? Encryption::NotEncrypted
                                                               : Encryption::Unknown;
    return reference_counters(f, t);
}

std::optional<FlowTuple> reference_parse(const std::string& text, Format format) {
    const std::vector<std::string> f = split(text);
    if (text.size() > kMaxTupleBytes || f.size() != (format == Format::NsgV1 ? 8u : 13u))
        return std::nullopt;
    FlowTuple t;
    const bool ok = reference_common(f, format, t) &&
                    (format == Format::Vnet ? reference_vnet(f, t) : reference_nsg(f, format, t));
    return ok ? std::optional<FlowTuple>(t) : std::nullopt;
}

// Every field parse_tuple sets but the encryption text (a view of the text both read).
auto fields(const FlowTuple& t) {
    return std::tie(t.time_ms, t.source, t.destination, t.source_port, t.destination_port, t.protocol,
                    t.direction, t.decision, t.state, t.encryption, t.has_counters, t.counters);
}

class TupleGenerator {
  public:
    explicit TupleGenerator(std::uint64_t seed) : rng_(seed) {}

    std::string tuple(Format format) {
        std::string out = std::to_string(pick(format == Format::Vnet ? 1700000000000 : 1700000000));
        out += ',' + address() + ',' + address() + ',' + port() + ',' + port();
        if (format == Format::Vnet) {
            out += ',' + std::to_string(pick(3) == 0 ? pick(256) : 6) + ',' + one_of("IO") + ',' +
                   one_of("BCED");
            static const char* const kEncryption[] = {"X", "NX", "NX_LOCAL_DST", "NX_FALLBACK",
                                                      "NX_SW_NOT_READY"};
            out += std::string(",") + kEncryption[pick(5)] + counters();
        } else {
            out += ',' + one_of("TU") + ',' + one_of("IO") + ',' + one_of("AD");
            if (format == Format::NsgV2)
                out += ',' + one_of("BCE") + counters();
        }
        return out;
    }

    // One to three edits: a byte deleted, replaced or inserted (from bytes that mean something in a
    // tuple), a field dropped or doubled, the text cut.
    std::string mutate(std::string text) {
        static const std::string kBytes = ",.:0123456789abcdefABCDEFIOTUXDN_ -+%\\";
        for (int edits = 1 + static_cast<int>(pick(3)); edits > 0 && !text.empty(); --edits) {
            const std::size_t at = pick(text.size());
            switch (pick(6)) {
            case 0:
                text.erase(at, 1);
                break;
            case 1:
                text[at] = kBytes[pick(kBytes.size())];
                break;
            case 2:
                text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), kBytes[pick(kBytes.size())]);
                break;
            case 3:
                text.insert(at, "9");
                break;
            case 4:
                text.resize(at);
                break;
            default:
                text.insert(at, ",");
                break;
            }
        }
        return text;
    }

  private:
    std::uint64_t pick(std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
    }
    std::string one_of(const char* letters) { return std::string(1, letters[pick(std::strlen(letters))]); }
    std::string port() { return std::to_string(pick(4) == 0 ? 65535 - pick(3) : pick(65536)); }
    std::string address() {
        if (pick(4) != 0)
            return net::Address::v4(static_cast<std::uint32_t>(rng_())).to_string();
        const net::u128 value = net::make_u128(pick(2) == 0 ? 0x20010db800000000 + pick(16) : rng_(),
                                               pick(2) == 0 ? pick(9) : rng_());
        return net::Address::v6(value).to_string();
    }
    std::string counters() {
        if (pick(4) == 0)
            return ",,,,";
        std::string out;
        for (int i = 0; i < 4; ++i)
            out += ',' + std::to_string(pick(3) == 0 ? rng_() % 10000000000000000000u : pick(100000));
        return out;
    }

    std::mt19937_64 rng_;
};

TEST(TupleParser, AgreesWithTheReferenceOnRandomAndMutatedTuples) {
    TupleGenerator generate(20240917);
    std::size_t accepted = 0;
    std::size_t rejected = 0;
    for (int i = 0; i < 60000; ++i) {
        const Format format = static_cast<Format>(i % 3);
        std::string text = generate.tuple(format);
        if (i % 2 == 1)
            text = generate.mutate(text);
        FlowTuple fast;
        const bool fast_ok = !parse_tuple(text, format, fast);
        const std::optional<FlowTuple> slow = reference_parse(text, format);
        ASSERT_EQ(fast_ok, slow.has_value()) << format_name(format) << ": '" << text << "'";
        if (fast_ok) {
            EXPECT_TRUE(fields(fast) == fields(*slow)) << text;
            ++accepted;
        } else {
            ++rejected;
        }
    }
    // Both sides are exercised: a good share of the mutations still parses, most do not.
    EXPECT_GT(accepted, 32000u);
    EXPECT_GT(rejected, 15000u);
}

} // namespace
} // namespace ztnet::flows
