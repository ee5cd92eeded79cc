#include "confrere/imaging/dicom_object.h"

#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dcmtk_util.h"

#include <algorithm>

namespace confrere::imaging {
namespace {

using detail::getDouble;
using detail::getDoubles;
using detail::getInt;
using detail::getString;

// Anything beyond this many decoded bytes is not an image a user attaches:
// refuse it before anyone allocates (a hostile header is a few bytes).
constexpr double kMaxPlausibleBytes = 64.0 * 1024 * 1024 * 1024;

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Reads the attributes of a geometry-bearing item (the dataset itself, or a
// functional-group macro item) into `g`, keeping what it already holds when
// an attribute is absent.
void readGeometryAttributes(DcmItem& item, FrameGeometry& g) {
  if (auto v = getDoubles<3>(item, DCM_ImagePositionPatient)) g.positionLps = v;
  if (auto v = getDoubles<6>(item, DCM_ImageOrientationPatient)) g.orientation = v;
  if (auto v = getDoubles<2>(item, DCM_PixelSpacing)) g.pixelSpacingMm = v;
  if (auto v = getDouble(item, DCM_SliceThickness)) g.sliceThicknessMm = v;
  if (auto v = getDouble(item, DCM_SpacingBetweenSlices)) g.spacingBetweenSlicesMm = v;
  if (auto v = getDouble(item, DCM_RescaleSlope); v && *v != 0.0) g.rescaleSlope = *v;
  if (auto v = getDouble(item, DCM_RescaleIntercept)) g.rescaleIntercept = *v;
  if (auto v = getDouble(item, DCM_WindowCenter)) g.windowCenter = v;
  DcmItem* lutItem = nullptr;
  if (item.findAndGetSequenceItem(DCM_ModalityLUTSequence, lutItem, 0).good() && lutItem != nullptr) {
    // LUT Descriptor: entries (0 means 65536), first stored value mapped, bits per entry.
    Uint16 entries = 0;
    Uint16 bits = 0;
    Sint16 firstSigned = 0;
    Uint16 firstUnsigned = 0;
    const Uint16* data = nullptr;
    unsigned long count = 0;
    if (lutItem->findAndGetUint16(DCM_LUTDescriptor, entries, 0).good() &&
        lutItem->findAndGetUint16(DCM_LUTDescriptor, bits, 2).good() &&
        lutItem->findAndGetUint16Array(DCM_LUTData, data, &count).good() && data != nullptr) {
      const unsigned long n = entries == 0 ? 65536ul : entries;
      if (count >= n && bits > 0 && bits <= 16) {
        auto lut = std::make_shared<std::vector<double>>(n);
        for (unsigned long i = 0; i < n; ++i) (*lut)[i] = data[i];
        g.modalityLut = std::move(lut);
        // The first mapped value takes the sign of the pixel representation;
        // read it both ways and let the caller's representation decide.
        lutItem->findAndGetUint16(DCM_LUTDescriptor, firstUnsigned, 1);
        firstSigned = static_cast<Sint16>(firstUnsigned);
        g.lutFirstStored = getInt(item, DCM_PixelRepresentation) == 1 ? firstSigned : firstUnsigned;
      }
    }
  }
  if (auto v = getDouble(item, DCM_WindowWidth)) g.windowWidth = v;
}

// A functional-groups item holds one macro per sequence (Plane Position,
// Plane Orientation, Pixel Measures, Pixel Value Transformation, Frame VOI).
void readFunctionalGroups(DcmItem& groups, FrameGeometry& g) {
  for (const DcmTagKey& seq : {DCM_PlanePositionSequence, DCM_PlaneOrientationSequence, DCM_PixelMeasuresSequence,
                               DCM_PixelValueTransformationSequence, DCM_FrameVOILUTSequence}) {
    DcmItem* macro = nullptr;
    if (groups.findAndGetSequenceItem(seq, macro, 0).good() && macro != nullptr) {
      readGeometryAttributes(*macro, g);
    }
  }
}

}  // namespace

const char* toString(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Image: return "image";
    case ObjectKind::Photo: return "photo";
    case ObjectKind::Ecg: return "ecg";
    case ObjectKind::Sr: return "sr";
    case ObjectKind::Pr: return "pr";
    case ObjectKind::Ko: return "ko";
    case ObjectKind::Other: return "other";
  }
  return "other";
}

ObjectKind kindOf(const std::string& sop, bool hasPixelData) {
  if (sop == UID_KeyObjectSelectionDocumentStorage) return ObjectKind::Ko;
  if (startsWith(sop, "1.2.840.10008.5.1.4.1.1.88.")) return ObjectKind::Sr;
  if (startsWith(sop, "1.2.840.10008.5.1.4.1.1.11.")) return ObjectKind::Pr;
  if (startsWith(sop, "1.2.840.10008.5.1.4.1.1.9.")) return ObjectKind::Ecg;  // waveforms (ECG families)
  // VL Photographic, VL Photographic Video, Ophthalmic Photography 8/16-bit,
  // VL Whole-slide excluded (77.1.6), dermoscopic photography (77.1.7).
  if (sop == UID_VLPhotographicImageStorage || sop == UID_OphthalmicPhotography8BitImageStorage ||
      sop == UID_OphthalmicPhotography16BitImageStorage || sop == "1.2.840.10008.5.1.4.1.1.77.1.7") {
    return ObjectKind::Photo;
  }
  return hasPixelData ? ObjectKind::Image : ObjectKind::Other;
}

double ObjectInfo::modalityValue(int frame, double stored) const {
  const FrameGeometry& g = geometryOf(frame);
  if (g.modalityLut) {
    const auto& lut = *g.modalityLut;
    const double index = std::clamp(stored - g.lutFirstStored, 0.0, static_cast<double>(lut.size() - 1));
    return lut[static_cast<std::size_t>(index)];
  }
  return stored * g.rescaleSlope + g.rescaleIntercept;
}

const FrameGeometry& ObjectInfo::geometryOf(int frame) const {
  static const FrameGeometry kNone;
  if (frameGeometry.empty()) return kNone;
  if (frame >= 0 && static_cast<std::size_t>(frame) < frameGeometry.size()) {
    return frameGeometry[static_cast<std::size_t>(frame)];
  }
  return frameGeometry.front();
}

Result<ObjectInfo> readObjectInfo(const std::filesystem::path& path) {
  DcmFileFormat file;
  if (Status opened = detail::openDicom(path, file); !opened) {
    return opened.error();
  }
  DcmDataset& ds = *file.getDataset();
  DcmMetaInfo& meta = *file.getMetaInfo();
  // Names and descriptions in UTF-8 whatever the file's character set
  // (accents must survive); failure to convert keeps the raw bytes.
  if (ds.tagExistsWithValue(DCM_SpecificCharacterSet)) {
    (void)file.convertToUTF8();
  }

  ObjectInfo info;
  info.path = path;
  info.displayPath = path.string();
  info.patientId = getString(ds, DCM_PatientID);
  info.patientName = getString(ds, DCM_PatientName);
  info.studyUid = getString(ds, DCM_StudyInstanceUID);
  info.seriesUid = getString(ds, DCM_SeriesInstanceUID);
  info.sopInstanceUid = getString(ds, DCM_SOPInstanceUID);
  info.sopClassUid = getString(ds, DCM_SOPClassUID);
  if (info.sopClassUid.empty()) info.sopClassUid = getString(meta, DCM_MediaStorageSOPClassUID);
  info.transferSyntaxUid = getString(meta, DCM_TransferSyntaxUID);
  if (info.transferSyntaxUid.empty()) {
    info.transferSyntaxUid = DcmXfer(ds.getOriginalXfer()).getXferID();
  }
  info.modality = getString(ds, DCM_Modality);
  info.frameOfReferenceUid = getString(ds, DCM_FrameOfReferenceUID);
  info.studyDate = getString(ds, DCM_StudyDate);
  info.seriesDescription = getString(ds, DCM_SeriesDescription);
  info.specificCharacterSet = getString(ds, DCM_SpecificCharacterSet);
  info.seriesNumber = getInt(ds, DCM_SeriesNumber);
  info.instanceNumber = getInt(ds, DCM_InstanceNumber);
  info.rescaleType = getString(ds, DCM_RescaleType);
  info.hasPixelData = ds.tagExists(DCM_PixelData);
  info.kind = kindOf(info.sopClassUid, info.hasPixelData);
  // DCMTK 3.6.7 does not know the newer syntaxes (HTJ2K...): anything but the
  // native ones counts as encapsulated.
  const std::string& ts = info.transferSyntaxUid;
  const bool nativeSyntax = ts.empty() || ts == UID_LittleEndianImplicitTransferSyntax ||
                            ts == UID_LittleEndianExplicitTransferSyntax || ts == UID_BigEndianExplicitTransferSyntax ||
                            ts == UID_DeflatedExplicitVRLittleEndianTransferSyntax;
  info.encapsulated = DcmXfer(ds.getOriginalXfer()).isEncapsulated() || !nativeSyntax;

  if (info.hasPixelData || ds.tagExists(DCM_Rows)) {
    info.rows = getInt(ds, DCM_Rows);
    info.columns = getInt(ds, DCM_Columns);
    info.samplesPerPixel = getInt(ds, DCM_SamplesPerPixel, 1);
    info.bitsAllocated = getInt(ds, DCM_BitsAllocated);
    info.bitsStored = getInt(ds, DCM_BitsStored, info.bitsAllocated);
    info.highBit = getInt(ds, DCM_HighBit, info.bitsStored - 1);
    info.pixelRepresentation = getInt(ds, DCM_PixelRepresentation);
    info.planarConfiguration = getInt(ds, DCM_PlanarConfiguration);
    info.photometric = getString(ds, DCM_PhotometricInterpretation);
    info.frames = std::max(1, getInt(ds, DCM_NumberOfFrames, 1));
    info.pixelSpacingMm = getDoubles<2>(ds, DCM_PixelSpacing);
    info.imagerPixelSpacingMm = getDoubles<2>(ds, DCM_ImagerPixelSpacing);
  }

  if (info.hasPixelData) {
    if (info.rows <= 0 || info.columns <= 0) {
      return makeError(ErrorCode::Corrupt, path.string() + ": Pixel Data present but Rows/Columns missing or zero");
    }
    if (info.bitsAllocated <= 0 || info.bitsAllocated > 64 || info.samplesPerPixel <= 0 || info.samplesPerPixel > 4) {
      return makeError(ErrorCode::Corrupt, path.string() + ": invalid Bits Allocated " +
                                               std::to_string(info.bitsAllocated) + " or Samples per Pixel " +
                                               std::to_string(info.samplesPerPixel));
    }
    const double decoded = double(info.rows) * info.columns * info.frames * info.samplesPerPixel *
                           std::max(1, info.bitsAllocated / 8);
    if (decoded > kMaxPlausibleBytes) {
      return makeError(ErrorCode::TooLarge, path.string() + ": claims " + std::to_string(info.columns) + "x" +
                                                std::to_string(info.rows) + "x" + std::to_string(info.frames) +
                                                " pixels, beyond any plausible image");
    }
    DcmElement* pixels = nullptr;
    if (!info.encapsulated && ds.findAndGetElement(DCM_PixelData, pixels).good() && pixels != nullptr) {
      // Native pixels: the bytes present must hold every frame the header
      // claims. YBR_*_422 stores two samples per pixel (chroma shared by pairs).
      const bool subsampled = info.photometric == "YBR_FULL_422" || info.photometric == "YBR_PARTIAL_422";
      const double samples = subsampled ? 2.0 : info.samplesPerPixel;
      const double needed = double(info.rows) * info.columns * info.frames * samples * info.bitsAllocated / 8.0;
      if (double(pixels->getLength()) + 1.0 < needed) {
        return makeError(ErrorCode::Corrupt, path.string() + ": Pixel Data holds " +
                                                 std::to_string(pixels->getLength()) + " bytes but " +
                                                 std::to_string(info.columns) + "x" + std::to_string(info.rows) +
                                                 "x" + std::to_string(info.frames) + " frames need " +
                                                 std::to_string(static_cast<long long>(needed)));
      }
    }
  }

  // Geometry: classic attributes, then shared and per-frame functional groups.
  FrameGeometry base;
  readGeometryAttributes(ds, base);
  DcmItem* shared = nullptr;
  if (ds.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good() && shared != nullptr) {
    readFunctionalGroups(*shared, base);
  }
  DcmSequenceOfItems* perFrame = nullptr;
  if (ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame).good() && perFrame != nullptr &&
      perFrame->card() > 0) {
    info.enhanced = true;
    const unsigned long n = perFrame->card();
    info.frameGeometry.reserve(n);
    for (unsigned long i = 0; i < n; ++i) {
      FrameGeometry g = base;
      if (DcmItem* item = perFrame->getItem(i); item != nullptr) readFunctionalGroups(*item, g);
      info.frameGeometry.push_back(g);
    }
  } else {
    info.frameGeometry.push_back(base);
  }
  if (!info.pixelSpacingMm) info.pixelSpacingMm = base.pixelSpacingMm;
  return info;
}

}  // namespace confrere::imaging
