// Any bytes given to the DICOM loader: a result or an error, never a crash,
// a hang or an unbounded allocation.
#include "confrere/imaging/dicom_frame.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = fuzzInputFile(data, size, ".dcm");
  (void)confrere::imaging::loadDicomFrame(path, 0);
  return 0;
}
