// Identifiers of the French health system (see shared DOMAIN rules):
// INS (NIR + key) and RPPS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "confrere/imaging/result.h"

namespace confrere::exchange {

// The INS key of a 13-character NIR: 97 - (number mod 97), where Corsican
// departments 2A and 2B count as 19 and 18. Returns nullopt when the NIR is
// not 13 characters of digits (with 2A/2B allowed at positions 6-7).
std::optional<int> insKey(std::string_view nir13);

// Checks a 15-character INS (NIR + 2-digit key). Fails with InvalidArgument
// naming what is wrong (length, characters, or the expected key).
Status checkIns(std::string_view ins15);

// Checks an RPPS number: 11 digits. Fails with InvalidArgument.
Status checkRpps(std::string_view rpps);

// National professional id (idNat_PS): "8" + RPPS.
std::string idNatPs(std::string_view rpps);

}  // namespace confrere::exchange
