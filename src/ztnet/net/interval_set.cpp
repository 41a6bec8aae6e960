#include "ztnet/net/interval_set.h"

#include <ostream>

namespace ztnet::net {

template class IntervalSet<std::uint8_t>;
template class IntervalSet<std::uint16_t>;
template class IntervalSet<std::uint32_t>;
template class IntervalSet<std::uint64_t>;
template class IntervalSet<u128>;

template <class T>
std::ostream& operator<<(std::ostream& out, const IntervalSet<T>& set) {
    return out << set.to_string();
}

template std::ostream& operator<<(std::ostream&, const IntervalSet<std::uint8_t>&);
template std::ostream& operator<<(std::ostream&, const IntervalSet<std::uint16_t>&);
template std::ostream& operator<<(std::ostream&, const IntervalSet<std::uint32_t>&);
template std::ostream& operator<<(std::ostream&, const IntervalSet<std::uint64_t>&);
template std::ostream& operator<<(std::ostream&, const IntervalSet<u128>&);

} // namespace ztnet::net
