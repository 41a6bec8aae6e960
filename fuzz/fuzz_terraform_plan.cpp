// Fuzz target for the Terraform plan and state reader and the azurerm translation: any JSON is read or
// refused cleanly, every instance it reads has an address, a type and a name, and an object of values,
// and every resource the translation writes is an object with its ARM type.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ztnet/json/reader.h"
#include "ztnet/load/terraform/plan_document.h"
#include "ztnet/load/terraform_resources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto root = ztnet::json::read(text);
    if (!root)
        return 0;
    ztnet::Diagnostics diagnostics;
    auto doc = ztnet::load::terraform::read_plan_document(*root, 0, diagnostics);
    if (!doc)
        return 0;
    for (const auto* list : {&doc->resources, &doc->prior})
        for (const auto& r : *list)
            if (r.address.empty() || r.type.empty() || r.name.empty() ||
                !(r.values.is_object() || r.values.is_unknown()))
                std::abort();
    for (const auto& raw :
         ztnet::load::terraform_resources(*doc, "00000000-0000-0000-0000-000000000000", diagnostics)) {
        const ztnet::json::Value* type = raw.body.find("type");
        if (!raw.body.is_object() || type == nullptr || !type->is_string())
            std::abort();
    }
    return 0;
}
