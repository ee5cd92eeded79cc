// One DICOM frame decoded for display: modality values for greyscale images,
// sRGB for colour ones.
#pragma once

#include <filesystem>

#include "confrere/imaging/image.h"
#include "confrere/imaging/result.h"

namespace confrere::imaging {

// True when the file starts like a DICOM Part 10 file ("DICM" at offset 128)
// or like a raw dataset (a plausible group 0x0008 element at offset 0).
bool looksLikeDicom(const std::filesystem::path& path);

// Registers DCMTK's decoders (JPEG, JPEG-LS, RLE) once; thread-safe.
void registerDicomCodecs();

// Decodes frame `frameIndex` (0-based) of an image object.
//  - Greyscale: Gray32F modality values (Rescale Slope/Intercept applied).
//  - Colour (RGB, YBR_*, PALETTE COLOR): Rgb8.
// Fails with NotFound, NotDicom, Corrupt (missing attributes, truncated
// pixels), Unsupported (transfer syntax or photometric we cannot decode) or
// InvalidArgument (frame out of range). Thread: any.
Result<DisplayFrame> loadDicomFrame(const std::filesystem::path& path, int frameIndex = 0);

}  // namespace confrere::imaging

namespace confrere::imaging {

// Opens whatever displayable thing `path` is: a DICOM image (frame
// `frameIndex`), a JPEG/PNG photo (upright), or a folder (its first DICOM
// image in path order). Fails with the reason of the underlying loader, or
// Unsupported naming the path when it is none of these.
Result<DisplayFrame> loadDisplayFrame(const std::filesystem::path& path, int frameIndex = 0);

}  // namespace confrere::imaging
