// Objects the corpus lacks, written here with DCMTK: a Modality LUT, a DICOM
// VL Photographic image with a physical scale, and hostile headers.
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

void putImage(DcmDataset& ds, const char* sopClass, int rows, int columns, int spp, const char* photometric) {
  char uid[100];
  ds.putAndInsertString(DCM_SOPClassUID, sopClass);
  ds.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds.putAndInsertString(DCM_StudyInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_STUDY_UID_ROOT));
  ds.putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT));
  ds.putAndInsertString(DCM_PatientID, "EDGE-1");
  ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
  ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns));
  ds.putAndInsertUint16(DCM_SamplesPerPixel, static_cast<Uint16>(spp));
  ds.putAndInsertString(DCM_PhotometricInterpretation, photometric);
}

std::filesystem::path save(DcmFileFormat& file, const std::string& name) {
  const auto path = test::outputDir() / name;
  EXPECT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  return path;
}

TEST(DicomEdge, ModalityLutReplacesTheRescale) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  putImage(ds, UID_SecondaryCaptureImageStorage, 2, 2, 1, "MONOCHROME2");
  ds.putAndInsertString(DCM_Modality, "OT");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 12);
  ds.putAndInsertUint16(DCM_HighBit, 11);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  const Uint16 pixels[4] = {10, 11, 12, 500};
  ds.putAndInsertUint16Array(DCM_PixelData, pixels, 4);
  DcmItem* lut = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_ModalityLUTSequence, lut, 0).good());
  // 4 entries mapping stored 10..13 to 100, 200, 300, 400; beyond clamps.
  const Uint16 descriptor[3] = {4, 10, 16};
  lut->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3);
  const Uint16 data[4] = {100, 200, 300, 400};
  lut->putAndInsertUint16Array(DCM_LUTData, data, 4);
  lut->putAndInsertString(DCM_ModalityLUTType, "US");
  const auto path = save(file, "modality_lut.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  const float* v = frame->image.grayData();
  EXPECT_FLOAT_EQ(v[0], 100.0f);
  EXPECT_FLOAT_EQ(v[1], 200.0f);
  EXPECT_FLOAT_EQ(v[2], 300.0f);
  EXPECT_FLOAT_EQ(v[3], 400.0f);  // beyond the table: last entry
}

TEST(DicomEdge, VlPhotographicIsAPhotoWithItsScale) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  putImage(ds, UID_VLPhotographicImageStorage, 4, 6, 3, "RGB");
  ds.putAndInsertString(DCM_Modality, "XC");
  ds.putAndInsertUint16(DCM_BitsAllocated, 8);
  ds.putAndInsertUint16(DCM_BitsStored, 8);
  ds.putAndInsertUint16(DCM_HighBit, 7);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds.putAndInsertString(DCM_PixelSpacing, "0.1\\0.1");
  std::vector<Uint8> rgb(4 * 6 * 3);
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    rgb[i] = 200;  // a reddish lesion colour, kept as is (sRGB)
    rgb[i + 1] = 90;
    rgb[i + 2] = 60;
  }
  ds.putAndInsertUint8Array(DCM_PixelData, rgb.data(), static_cast<unsigned long>(rgb.size()));
  const auto path = save(file, "vl_photo.dcm");
  auto catalog = scanMedia(path);
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->objects.size(), 1u);
  EXPECT_EQ(catalog->objects[0].kind, ObjectKind::Photo);
  ASSERT_TRUE(catalog->objects[0].pixelSpacingMm.has_value());
  EXPECT_DOUBLE_EQ((*catalog->objects[0].pixelSpacingMm)[0], 0.1);
  EXPECT_TRUE(assembleSeries(catalog->objects).empty()) << "a photo is not a volume";
  auto frame = loadDisplayFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  ASSERT_EQ(frame->image.format, PixelFormat::Rgb8);
  EXPECT_EQ(frame->image.bytes[0], 200);
  EXPECT_EQ(frame->image.bytes[1], 90);
  EXPECT_EQ(frame->image.bytes[2], 60);
  ASSERT_TRUE(frame->rowSpacingMm.has_value());
  EXPECT_DOUBLE_EQ(*frame->rowSpacingMm, 0.1);
}

TEST(DicomEdge, DimensionsTheBytesCannotHoldAreRefused) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  putImage(ds, UID_CTImageStorage, 60000, 60000, 1, "MONOCHROME2");
  ds.putAndInsertString(DCM_Modality, "CT");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 1);
  ds.putAndInsertString(DCM_NumberOfFrames, "1");
  const Uint16 pixels[8] = {};
  ds.putAndInsertUint16Array(DCM_PixelData, pixels, 8);
  const auto path = save(file, "huge_claim.dcm");
  auto info = readObjectInfo(path);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::Corrupt);
  EXPECT_NE(info.error().message.find("huge_claim.dcm"), std::string::npos);
  auto frame = loadDisplayFrame(path);
  EXPECT_FALSE(frame.ok());
}

TEST(DicomEdge, AbsurdFrameCountIsTooLarge) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  putImage(ds, UID_MRImageStorage, 4096, 4096, 1, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertString(DCM_NumberOfFrames, "2000000");
  const Uint16 pixels[8] = {};
  ds.putAndInsertUint16Array(DCM_PixelData, pixels, 8);
  const auto path = save(file, "absurd_frames.dcm");
  auto info = readObjectInfo(path);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::TooLarge);
}

}  // namespace
}  // namespace confrere::imaging
