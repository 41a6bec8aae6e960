// ExpressRoute Direct ports (Microsoft.Network/expressRoutePorts): each physical link, and whether
// MACsec encrypts it. Azure creates a port's two links itself; a port whose input lists none has
// them without MACsec, Azure's default, and so does a link whose macSecConfig lacks either key.
#include <string_view>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::ResourceKind;

void EstateBuilder::read_express_route_ports() {
    FieldReader read(diagnostics_, nullptr);
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other ||
            !model::same_id(estate_.others[s.index].type, "Microsoft.Network/expressRoutePorts"))
            continue;
        const std::vector<Cursor> links = s.body["properties"]["links"].elements();
        if (links.empty()) {
            estate_.express_route_links.push_back(
                {s.index, "(the links Azure creates)", false, "", s.body.where()});
            continue;
        }
        for (const Cursor& link : links) {
            Cursor macsec = link["properties"]["macSecConfig"];
            model::ExpressRouteLink out;
            out.port = s.index;
            out.name = read.string_or(link["name"], "?");
            out.cipher = read.string_or(macsec["cipher"], "");
            // Both keys named (a template may name them through a parameter known at deployment only).
            out.macsec = static_cast<bool>(macsec["cknSecretIdentifier"]) &&
                         static_cast<bool>(macsec["cakSecretIdentifier"]);
            out.where = macsec ? macsec.where() : link.where();
            estate_.express_route_links.push_back(std::move(out));
        }
    }
}

} // namespace ztnet::load::detail
