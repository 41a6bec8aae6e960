// The JSON writer: deterministic text for a json::Value tree (stored member order, fixed indentation).
#include <charconv>
#include <cmath>
#include <string>

#include "ztnet/json/detail/utf8.h"
#include "ztnet/json/reader.h"

namespace ztnet::json {
namespace {

class Writer {
  public:
    explicit Writer(int indent) : indent_(indent > 0 ? static_cast<std::size_t>(indent) : 0) {}

    void value(const Value& v, std::size_t depth) {
        switch (v.kind()) {
        case Kind::Null:
            out_ += "null";
            break;
        case Kind::Bool:
            out_ += v.as_bool() ? "true" : "false";
            break;
        case Kind::Integer:
            integer(v.as_integer());
            break;
        case Kind::Double:
            floating(v.as_double());
            break;
        case Kind::String:
            string(v.as_string());
            break;
        case Kind::Array:
            array(v.as_array(), depth);
            break;
        case Kind::Object:
            object(v.as_object(), depth);
            break;
        case Kind::Unknown:
            string("<unknown: " + v.as_unknown().reason + ">");
            break;
        }
    }

    std::string take() { return std::move(out_); }

  private:
    void newline(std::size_t depth) {
        if (indent_ == 0)
            return;
        out_ += '\n';
        out_.append(depth * indent_, ' ');
    }

    void integer(std::int64_t number) {
        char buffer[24];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        out_.append(buffer, result.ptr);
    }

    void floating(double number) {
        if (!std::isfinite(number)) {
            out_ += "null";
            return;
        }
        char buffer[40];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
        out_ += text;
        // "3" would read back as an integer; keep the value a double.
        if (text.find_first_of(".e") == std::string_view::npos)
            out_ += ".0";
    }

    void string(std::string_view text) {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += '"';
        const auto* s = reinterpret_cast<const unsigned char*>(text.data());
        const auto* end = s + text.size();
        const auto* run = s;
        while (s != end) {
            const unsigned char c = *s;
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
                ++s;
                continue;
            }
            out_.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(s - run));
            if (c == '"' || c == '\\') {
                out_ += '\\';
                out_ += static_cast<char>(c);
                ++s;
            } else if (c < 0x20) {
                const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                out_.append(escape, sizeof escape);
                ++s;
            } else if (const std::size_t length = detail::utf8_sequence_length(s, end); length != 0) {
                out_.append(reinterpret_cast<const char*>(s), length);
                s += length;
            } else {
                out_ += "\xEF\xBF\xBD"; // U+FFFD for a byte that is not valid UTF-8
                ++s;
            }
            run = s;
        }
        out_.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(s - run));
        out_ += '"';
    }

    void array(const Array& elements, std::size_t depth) {
        out_ += '[';
        bool first = true;
        for (const Value& element : elements) {
            if (!first)
                out_ += ',';
            first = false;
            newline(depth + 1);
            value(element, depth + 1);
        }
        if (!elements.empty())
            newline(depth);
        out_ += ']';
    }

    void object(const Object& members, std::size_t depth) {
        out_ += '{';
        bool first = true;
        for (const auto& [key, member] : members) {
            if (!first)
                out_ += ',';
            first = false;
            newline(depth + 1);
            string(key);
            out_ += indent_ == 0 ? ":" : ": ";
            value(member, depth + 1);
        }
        if (!members.empty())
            newline(depth);
        out_ += '}';
    }

    std::size_t indent_;
    std::string out_;
};

} // namespace

std::string write(const Value& value, const WriteOptions& options) {
    Writer writer(options.indent);
    writer.value(value, 0);
    return writer.take();
}

} // namespace ztnet::json
