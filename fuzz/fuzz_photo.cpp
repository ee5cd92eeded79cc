// Any bytes given to the photo loader (JPEG/PNG + EXIF).
#include "confrere/imaging/image_io.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = fuzzInputFile(data, size, ".jpg");
  (void)confrere::imaging::loadPhoto(path);
  return 0;
}
