#include "synthetic_dicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace confrere::test {
namespace {

std::string joined(const double* v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6f", v[i]);
    out += (i ? "\\" : "") + std::string(buffer);
  }
  return out;
}

void check(const OFCondition& c, const std::string& what) {
  if (c.bad()) throw std::runtime_error("synthetic DICOM: " + what + ": " + c.text());
}

}  // namespace

std::array<double, 3> sliceNormal(const SyntheticSeries& s) {
  const auto& r = s.rowDirection;
  const auto& c = s.columnDirection;
  std::array<double, 3> n{r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
  const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  for (double& v : n) v /= len;
  return n;
}

std::vector<std::filesystem::path> writeSyntheticSeries(const std::filesystem::path& dir, const SyntheticSeries& s) {
  static std::once_flag once;
  std::call_once(once, [] { DJLSEncoderRegistration::registerCodecs(); });
  std::filesystem::create_directories(dir);
  const auto normal = sliceNormal(s);
  std::array<double, 3> step = s.step.value_or(std::array<double, 3>{normal[0] * s.sliceSpacingMm,
                                                                      normal[1] * s.sliceSpacingMm,
                                                                      normal[2] * s.sliceSpacingMm});
  const double orientation[6] = {s.rowDirection[0], s.rowDirection[1], s.rowDirection[2],
                                 s.columnDirection[0], s.columnDirection[1], s.columnDirection[2]};
  std::vector<std::filesystem::path> paths;
  for (int z = 0; z < s.slices; ++z) {
    if (std::find(s.skipSlices.begin(), s.skipSlices.end(), z) != s.skipSlices.end()) continue;
    DcmFileFormat file;
    DcmDataset* ds = file.getDataset();
    char uid[100];
    const double position[3] = {s.originLps[0] + z * step[0], s.originLps[1] + z * step[1],
                                s.originLps[2] + z * step[2]};
    check(ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage), "SOP class");
    check(ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)), "uid");
    check(ds->putAndInsertString(DCM_StudyInstanceUID, s.studyUid.c_str()), "study");
    check(ds->putAndInsertString(DCM_SeriesInstanceUID, s.seriesUid.c_str()), "series");
    check(ds->putAndInsertString(DCM_FrameOfReferenceUID, (s.studyUid + ".9").c_str()), "frame of reference");
    check(ds->putAndInsertString(DCM_PatientID, s.patientId.c_str()), "patient id");
    check(ds->putAndInsertString(DCM_PatientName, "SYNTHETIC^Fantôme"), "patient name");
    check(ds->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192"), "charset");
    check(ds->putAndInsertString(DCM_Modality, s.modality.c_str()), "modality");
    check(ds->putAndInsertString(DCM_InstanceNumber, std::to_string(z + 1).c_str()), "instance");
    check(ds->putAndInsertString(DCM_ImagePositionPatient, joined(position, 3).c_str()), "position");
    check(ds->putAndInsertString(DCM_ImageOrientationPatient, joined(orientation, 6).c_str()), "orientation");
    check(ds->putAndInsertString(DCM_PixelSpacing, joined(s.pixelSpacingMm.data(), 2).c_str()), "spacing");
    check(ds->putAndInsertString(DCM_SliceThickness, joined(&s.sliceSpacingMm, 1).c_str()), "thickness");
    check(ds->putAndInsertString(DCM_RescaleSlope, joined(&s.rescaleSlope, 1).c_str()), "slope");
    check(ds->putAndInsertString(DCM_RescaleIntercept, joined(&s.rescaleIntercept, 1).c_str()), "intercept");
    check(ds->putAndInsertString(DCM_WindowCenter, "40"), "window");
    check(ds->putAndInsertString(DCM_WindowWidth, "400"), "window");
    check(ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(s.rows)), "rows");
    check(ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(s.columns)), "columns");
    check(ds->putAndInsertUint16(DCM_SamplesPerPixel, 1), "spp");
    check(ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2"), "photometric");
    check(ds->putAndInsertUint16(DCM_BitsAllocated, 16), "bits");
    check(ds->putAndInsertUint16(DCM_BitsStored, 16), "bits");
    check(ds->putAndInsertUint16(DCM_HighBit, 15), "bits");
    check(ds->putAndInsertUint16(DCM_PixelRepresentation, s.signedPixels ? 1 : 0), "representation");
    std::vector<Uint16> pixels(static_cast<std::size_t>(s.rows) * s.columns);
    for (int y = 0; y < s.rows; ++y) {
      for (int x = 0; x < s.columns; ++x) {
        pixels[static_cast<std::size_t>(y) * s.columns + x] = static_cast<Uint16>(s.value(x, y, z));
      }
    }
    check(ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())), "pixels");
    const E_TransferSyntax xfer = DcmXfer(s.transferSyntax.c_str()).getXfer();
    if (DcmXfer(xfer).isEncapsulated()) {
      DJLSRepresentationParameter lossless(2, OFTrue);
      check(ds->chooseRepresentation(xfer, &lossless), "compression to " + s.transferSyntax);
    }
    const int nameIndex = s.writeInReverse ? s.slices - 1 - z : z;
    char name[32];
    std::snprintf(name, sizeof name, "IM%05d.dcm", nameIndex);
    const auto path = dir / name;
    check(file.saveFile(path.c_str(), xfer), "save " + path.string());
    paths.push_back(path);
  }
  return paths;
}

}  // namespace confrere::test
