#include "confrere/exchange/identifiers.h"

#include <algorithm>
#include <cctype>

namespace confrere::exchange {
namespace {

bool allDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::optional<int> insKey(std::string_view nir) {
  if (nir.size() != 13) {
    return std::nullopt;
  }
  std::string digits(nir);
  // Department 2A / 2B (Corsica) sit at positions 5-6 (0-based).
  if (digits[5] == '2' && (digits[6] == 'A' || digits[6] == 'a')) {
    digits.replace(5, 2, "19");
  } else if (digits[5] == '2' && (digits[6] == 'B' || digits[6] == 'b')) {
    digits.replace(5, 2, "18");
  }
  if (!allDigits(digits)) {
    return std::nullopt;
  }
  // 13 digits fit in 64 bits; mod 97 computed directly.
  const unsigned long long number = std::stoull(digits);
  return 97 - static_cast<int>(number % 97ULL);
}

Status checkIns(std::string_view ins) {
  if (ins.size() != 15) {
    return makeError(ErrorCode::InvalidArgument,
                     "INS '" + std::string(ins) + "': expected 15 characters (13-character NIR + 2-digit key), got " +
                         std::to_string(ins.size()));
  }
  const auto key = insKey(ins.substr(0, 13));
  if (!key) {
    return makeError(ErrorCode::InvalidArgument,
                     "INS '" + std::string(ins) + "': the NIR must be 13 digits (2A/2B allowed for Corsica)");
  }
  const std::string_view given = ins.substr(13, 2);
  if (!allDigits(given) || std::stoi(std::string(given)) != *key) {
    char expected[3];
    expected[0] = static_cast<char>('0' + *key / 10);
    expected[1] = static_cast<char>('0' + *key % 10);
    expected[2] = '\0';
    return makeError(ErrorCode::InvalidArgument, "INS '" + std::string(ins) + "': key " + std::string(given) +
                                                     " does not match the NIR (expected " + expected + ")");
  }
  return okStatus();
}

Status checkRpps(std::string_view rpps) {
  if (rpps.size() != 11 || !allDigits(rpps)) {
    return makeError(ErrorCode::InvalidArgument, "RPPS '" + std::string(rpps) + "': expected 11 digits");
  }
  return okStatus();
}

std::string idNatPs(std::string_view rpps) {
  std::string id(1, '8');
  id.append(rpps);
  return id;
}

}  // namespace confrere::exchange
