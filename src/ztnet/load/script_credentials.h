// Credentials written into a script or cloud-init document, as a VM's custom data or user data
// carries them: found by shape, and described without their values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ztnet::load {

/// What in `text` looks like a credential written in clear: "a private key", "a storage account
/// key", "a SAS token", "a password assignment (DB_PASSWORD)". Each kind once, in the order of its
/// first appearance; never the value. An assignment whose value is a variable, a substitution or a
/// placeholder ("$PASSWORD", "${...}", "{{...}}", "%VAR%", "<password>") is not one.
std::vector<std::string> credentials_in_script(std::string_view text);

/// The text a custom data value holds: decoded when it is base64 of readable text (as Azure takes
/// it), else the value itself.
std::string custom_data_text(std::string_view value);

} // namespace ztnet::load
