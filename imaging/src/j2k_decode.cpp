#include "j2k_decode.h"

namespace confrere::imaging::detail {

Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* /*data*/, std::size_t /*size*/,
                                                 const J2kExpect& /*expect*/, const std::string& what) {
  return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 decoding not implemented yet");
}

}  // namespace confrere::imaging::detail
