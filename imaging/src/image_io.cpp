#include "confrere/imaging/image_io.h"

#include <libexif/exif-data.h>
#include <png.h>

#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace confrere::imaging {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) {
      std::fclose(f);
    }
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::vector<unsigned char> readHead(const std::filesystem::path& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> head(n);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool isJpeg(const std::vector<unsigned char>& h) { return h.size() >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF; }
bool isPng(const std::vector<unsigned char>& h) {
  static constexpr std::array<unsigned char, 8> sig{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  return h.size() >= 8 && std::memcmp(h.data(), sig.data(), 8) == 0;
}

// [SECTION] JPEG via libjpeg-turbo, errors turned into a longjmp.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpegQuiet(j_common_ptr /*cinfo*/, int /*level*/) {}

int exifOrientationOf(const std::filesystem::path& path) {
  ExifData* data = exif_data_new_from_file(path.c_str());
  if (data == nullptr) {
    return 0;
  }
  int orientation = 0;
  if (ExifEntry* entry = exif_data_get_entry(data, EXIF_TAG_ORIENTATION); entry != nullptr) {
    const ExifByteOrder order = exif_data_get_byte_order(data);
    orientation = exif_get_short(entry->data, order);
    if (orientation < 1 || orientation > 8) {
      orientation = 0;
    }
  }
  exif_data_unref(data);
  return orientation;
}

Result<Image> decodeJpeg(const std::filesystem::path& path) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return makeError(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(errno));
  }
  jpeg_decompress_struct cinfo{};
  JpegError err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpegErrorExit;
  err.mgr.emit_message = jpegQuiet;
  // Everything that outlives a longjmp lives behind pointers set before
  // setjmp: locals changed after it are indeterminate once it returns again
  // (a vector kept in registers would leak).
  auto image = std::make_unique<Image>();
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return makeError(ErrorCode::Corrupt, path.string() + ": JPEG decoding failed: " + err.message);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, file.get());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const long long pixels = static_cast<long long>(cinfo.output_width) * cinfo.output_height;
  if (pixels <= 0 || pixels > kMaxPhotoPixels) {
    jpeg_destroy_decompress(&cinfo);
    return makeError(ErrorCode::TooLarge, path.string() + ": JPEG claims " + std::to_string(cinfo.output_width) + "x" +
                                              std::to_string(cinfo.output_height) + " pixels, above the limit of " +
                                              std::to_string(kMaxPhotoPixels));
  }
  *image = Image::allocate(static_cast<int>(cinfo.output_width), static_cast<int>(cinfo.output_height), PixelFormat::Rgb8);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = image->bytes.data() + static_cast<std::size_t>(cinfo.output_scanline) * image->rowBytes();
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  // libjpeg reports a premature end as a warning and pads with grey: refuse it.
  const bool truncated = err.mgr.num_warnings > 0;
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (truncated) {
    return makeError(ErrorCode::Corrupt, path.string() + ": JPEG data is truncated or damaged");
  }
  return std::move(*image);
}

// [SECTION] PNG via libpng's simplified API.
Result<Image> decodePng(const std::filesystem::path& path, bool keepAlpha) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&png, path.c_str()) == 0) {
    return makeError(ErrorCode::Corrupt, path.string() + ": PNG header unreadable: " + png.message);
  }
  const bool alpha = keepAlpha && (png.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  png.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  const long long pixels = static_cast<long long>(png.width) * png.height;
  if (pixels <= 0 || pixels > kMaxPhotoPixels) {
    png_image_free(&png);
    return makeError(ErrorCode::TooLarge, path.string() + ": PNG claims " + std::to_string(png.width) + "x" +
                                              std::to_string(png.height) + " pixels");
  }
  Image image = Image::allocate(static_cast<int>(png.width), static_cast<int>(png.height),
                                alpha ? PixelFormat::Rgba8 : PixelFormat::Rgb8);
  if (png_image_finish_read(&png, nullptr, image.bytes.data(), 0, nullptr) == 0) {
    const std::string msg = png.message;
    png_image_free(&png);
    return makeError(ErrorCode::Corrupt, path.string() + ": PNG decoding failed: " + msg);
  }
  return image;
}

}  // namespace

bool looksLikePhoto(const std::filesystem::path& path) {
  const auto head = readHead(path, 8);
  return isJpeg(head) || isPng(head);
}

Image applyExifOrientation(const Image& src, int orientation) {
  if (orientation <= 1 || orientation > 8 || src.format == PixelFormat::Gray32F) {
    return src;
  }
  const bool swap = orientation >= 5;  // 5..8 transpose the axes
  const int w = swap ? src.height : src.width;
  const int h = swap ? src.width : src.height;
  Image dst = Image::allocate(w, h, src.format);
  const std::size_t bpp = bytesPerPixel(src.format);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // Find the stored pixel (sx, sy) shown at display (x, y).
      int sx = 0;
      int sy = 0;
      switch (orientation) {
        case 2: sx = src.width - 1 - x; sy = y; break;
        case 3: sx = src.width - 1 - x; sy = src.height - 1 - y; break;
        case 4: sx = x; sy = src.height - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = src.height - 1 - x; break;
        case 7: sx = src.width - 1 - y; sy = src.height - 1 - x; break;
        case 8: sx = src.width - 1 - y; sy = x; break;
        default: sx = x; sy = y; break;
      }
      std::memcpy(dst.bytes.data() + (static_cast<std::size_t>(y) * w + x) * bpp,
                  src.bytes.data() + (static_cast<std::size_t>(sy) * src.width + sx) * bpp, bpp);
    }
  }
  return dst;
}

Result<PhotoHeader> readPhotoHeader(const std::filesystem::path& path) {
  const auto head = readHead(path, 8);
  PhotoHeader header;
  if (isJpeg(head)) {
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file) {
      return makeError(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(errno));
    }
    jpeg_decompress_struct cinfo{};
    JpegError err{};
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    err.mgr.emit_message = jpegQuiet;
    if (setjmp(err.jump) != 0) {
      jpeg_destroy_decompress(&cinfo);
      return makeError(ErrorCode::Corrupt, path.string() + ": JPEG header unreadable: " + err.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, file.get());
    jpeg_read_header(&cinfo, TRUE);
    header.storedWidth = static_cast<int>(cinfo.image_width);
    header.storedHeight = static_cast<int>(cinfo.image_height);
    header.components = cinfo.num_components;
    jpeg_destroy_decompress(&cinfo);
    header.format = "JPEG";
    header.exifOrientation = exifOrientationOf(path);
  } else if (isPng(head)) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_file(&png, path.c_str()) == 0) {
      return makeError(ErrorCode::Corrupt, path.string() + ": PNG header unreadable: " + png.message);
    }
    header.storedWidth = static_cast<int>(png.width);
    header.storedHeight = static_cast<int>(png.height);
    header.components = static_cast<int>(PNG_IMAGE_SAMPLE_CHANNELS(png.format));
    png_image_free(&png);
    header.format = "PNG";
  } else {
    return makeError(ErrorCode::Unsupported, path.string() + ": not a JPEG or PNG photo");
  }
  const bool swap = header.exifOrientation >= 5;
  header.width = swap ? header.storedHeight : header.storedWidth;
  header.height = swap ? header.storedWidth : header.storedHeight;
  return header;
}

Result<Photo> loadPhoto(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError(ErrorCode::NotFound, path.string() + ": no such file");
  }
  const auto head = readHead(path, 8);
  Photo photo;
  if (isJpeg(head)) {
    auto decoded = decodeJpeg(path);
    if (!decoded) {
      return decoded.error();
    }
    photo.image = std::move(decoded).value();
    photo.exifOrientation = exifOrientationOf(path);
  } else if (isPng(head)) {
    auto decoded = decodePng(path, false);
    if (!decoded) {
      return decoded.error();
    }
    photo.image = std::move(decoded).value();
  } else {
    return makeError(ErrorCode::Unsupported, path.string() + ": not a JPEG or PNG photo");
  }
  photo.storedWidth = photo.image.width;
  photo.storedHeight = photo.image.height;
  if (photo.exifOrientation > 1) {
    photo.image = applyExifOrientation(photo.image, photo.exifOrientation);
  }
  return photo;
}

Result<Image> readPng(const std::filesystem::path& path) {
  if (!isPng(readHead(path, 8))) {
    return makeError(ErrorCode::Unsupported, path.string() + ": not a PNG file");
  }
  return decodePng(path, true);
}

Status writePng(const std::filesystem::path& path, const Image& image) {
  if (image.empty() || (image.format != PixelFormat::Rgb8 && image.format != PixelFormat::Rgba8)) {
    return makeError(ErrorCode::InvalidArgument, path.string() + ": writePng needs a non-empty Rgb8 or Rgba8 image");
  }
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = image.format == PixelFormat::Rgba8 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  if (png_image_write_to_file(&png, path.c_str(), 0, image.bytes.data(), 0, nullptr) == 0) {
    return makeError(ErrorCode::Io, path.string() + ": cannot write PNG: " + png.message);
  }
  return okStatus();
}

}  // namespace confrere::imaging
