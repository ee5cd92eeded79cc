#include "confrere/imaging/result.h"

namespace confrere {

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::Io: return "input/output error";
    case ErrorCode::NotDicom: return "not DICOM";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::TooLarge: return "too large";
    case ErrorCode::Cancelled: return "cancelled";
  }
  return "error";
}

}  // namespace confrere
