// Kinds of PaaS service that share a model: the PostgreSQL and MySQL flexible servers (network
// settings, firewall rules, server parameters).
#pragma once

#include "ztnet/model/estate.h"

namespace ztnet::model {

inline bool is_flexible_server(PaasServiceType type) {
    return type == PaasServiceType::PostgreSqlFlexible || type == PaasServiceType::MySqlFlexible;
}

} // namespace ztnet::model
