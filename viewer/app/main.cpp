// confrere: with no arguments, the workstation window on the demo case;
// subcommands expose every capability headless for scripts and tests.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <regex>
#include <string>

#include "../ui/application.h"
#include "../ui/i18n.h"
#include "paths.h"
#include "billing_command.h"
#include "info_command.h"
#include "measure_command.h"
#include "render_command.h"

namespace {

bool parseSize(const std::string& text, int& w, int& h) {
  static const std::regex re(R"((\d{1,5})x(\d{1,5}))");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return false;
  w = std::stoi(m[1].str());
  h = std::stoi(m[2].str());
  return w > 0 && h > 0;
}

bool parsePair(const std::string& text, double& a, double& b) {
  static const std::regex re(R"(\s*(-?[0-9.]+(?:[eE][-+]?\d+)?)\s*,\s*(-?[0-9.]+(?:[eE][-+]?\d+)?)\s*)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return false;
  a = std::stod(m[1].str());
  b = std::stod(m[2].str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace confrere;
  CLI::App cli{"Confrère — téléexpertise workstation: DICOM, ECG and photo viewer, reports, secure exchange.\n"
               "With no subcommand, opens the viewer (on the demo case unless PATH is given)."};
  cli.set_version_flag("--version", std::string("confrere ") + CONFRERE_VERSION);
  std::string lang = "fr";
  std::string openPath;
  std::string screenshot;
  int frames = 0;
  cli.add_option("--lang", lang, "User-interface language: fr (default) or en")->check(CLI::IsMember({"fr", "en"}));
  cli.add_option("PATH", openPath, "File or folder to open (DICOM, DICOMDIR, zip, photo, ECG)");
  cli.add_option("--screenshot", screenshot, "Draw a few frames, save the window as PNG, exit (tests, docs)");
  cli.add_option("--frames", frames, "Frames to draw before --screenshot")->needs("--screenshot");
  std::string layout = "1x1";
  cli.add_option("--layout", layout, "Viewer layout at start: 1x1, 1x2, 2x2, mpr")
      ->check(CLI::IsMember({"1x1", "1x2", "2x2", "mpr"}));

  app::RenderOptions render;
  std::string size = "512x512";
  std::string window;
  bool noOverlay = false;
  bool demo = false;
  CLI::App* renderCmd = cli.add_subcommand("render", "Render an input to a PNG through the GPU renderer (headless)");
  renderCmd->add_option("INPUT", render.input, "DICOM file, folder or photo");
  renderCmd->add_flag("--demo", demo, "Render the demo case instead of INPUT");
  renderCmd->add_option("--out", render.output, "Output PNG file")->required();
  renderCmd->add_option("--size", size, "Output size WxH (equal to the image's columns x rows: 1:1 pixels)");
  renderCmd->add_option("--frame", render.frame, "Frame index in a multi-frame object (0-based)");
  renderCmd->add_option("--slice", render.slice, "Slice index in the sorted series (default: the middle one)");
  renderCmd->add_option("--position", render.positionMm, "Slice nearest this position along the normal, mm");
  renderCmd->add_option("--series", render.seriesUid, "Series Instance UID to render (default: the first)");
  renderCmd->add_option("--window", window, "Window CENTER,WIDTH in modality units (e.g. 40,400)");
  renderCmd->add_option("--preset", render.preset, "Window preset: soft-tissue, lung, liver, bone, brain");
  renderCmd->add_flag("--no-overlay", noOverlay, "Image only, no text");
  renderCmd->add_option("--view", render.view, "axial, coronal, sagittal, oblique, mip, minip, vr, photo, ecg");
  renderCmd->add_option("--slab", render.slabMm, "Slab thickness in mm for mip/minip (default 10)");
  std::string oblique;
  renderCmd->add_option("--oblique", oblique, "Oblique plane rotations A,B in degrees about the x then y axes");
  renderCmd->add_option("--azimuth", render.azimuthDegrees, "Volume rendering: rotation about the head-feet axis");
  renderCmd->add_option("--elevation", render.elevationDegrees, "Volume rendering: tilt of the camera");
  renderCmd->add_option("--ecg-layout", render.ecgLayout, "ECG layout: 3x4+1, 6x2, 12x1");
  renderCmd->add_option("--dpi", render.dpi, "ECG: draw at true size for this many pixels per inch");
  renderCmd->add_option("--speed", render.speedMmPerS, "ECG paper speed in mm/s: 12.5, 25 (default), 50");
  renderCmd->add_option("--gain", render.gainMmPerMv, "ECG gain in mm/mV: 5, 10 (default), 20");
  renderCmd->add_option("--start", render.startS, "ECG: first second shown");

  std::string infoPath;
  bool infoJson = false;
  CLI::App* infoCmd = cli.add_subcommand("info", "Describe everything found under PATH (file, folder, DICOMDIR, zip)");
  infoCmd->add_option("PATH", infoPath, "File, folder, DICOMDIR or zip")->required();
  infoCmd->add_flag("--json", infoJson, "Print one JSON document (objects, volumes, ecgs, errors, skipped)");

  app::MeasureOptions measure;
  CLI::App* measureCmd = cli.add_subcommand("measure", "Length, angle or ellipse ROI statistics on an image, with units");
  measureCmd->add_option("INPUT", measure.input, "DICOM file, series folder, DICOMDIR, zip or photo")->required();
  measureCmd->add_option("--length", measure.length, "X1,Y1,X2,Y2 in pixels (column first)")->delimiter(',');
  measureCmd->add_option("--roi-ellipse", measure.ellipse, "X,Y,RX,RY in pixels")->delimiter(',');
  measureCmd->add_option("--angle", measure.angle, "X1,Y1,X2,Y2,X3,Y3 in pixels, vertex second")->delimiter(',');
  measureCmd->add_option("--slice", measure.slice, "Slice index in the sorted series");
  measureCmd->add_option("--frame", measure.frame, "Frame of a multi-frame object");
  measureCmd->add_option("--series", measure.seriesUid, "Series Instance UID");
  measureCmd->add_flag("--json", measure.json, "Print JSON");

  std::function<int()> billingAction;
  app::addBillingCommands(cli, billingAction);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    if (billingAction) return billingAction();
    if (measureCmd->parsed()) {
      return app::runMeasure(measure);
    }
    if (infoCmd->parsed()) {
      return app::runInfo(infoPath, infoJson);
    }
    ui::Language language = ui::Language::French;
    ui::parseLanguage(lang, language);
    ui::setLanguage(language);
    if (renderCmd->parsed()) {
      if (demo) {
        render.input = app::assetsDir() / "demo" /
                       (render.view == "photo" ? "photos" : render.view == "ecg" ? "ecg" : "ct");
      } else if (render.input.empty()) {
        std::fprintf(stderr, "confrere render: give INPUT or --demo\n");
        return 2;
      }
      if (!parseSize(size, render.width, render.height)) {
        std::fprintf(stderr, "confrere render: --size '%s' must be WxH, e.g. 512x512\n", size.c_str());
        return 2;
      }
      if (!window.empty()) {
        double c = 0;
        double w = 0;
        if (!parsePair(window, c, w)) {
          std::fprintf(stderr, "confrere render: --window '%s' must be CENTER,WIDTH, e.g. 40,400\n", window.c_str());
          return 2;
        }
        render.windowCenter = c;
        render.windowWidth = w;
      }
      render.overlay = !noOverlay;
      render.assetsDir = app::assetsDir();
      if (!oblique.empty()) {
        double a = 0;
        double b = 0;
        if (!parsePair(oblique, a, b)) {
          std::fprintf(stderr, "confrere render: --oblique '%s' must be A,B in degrees\n", oblique.c_str());
          return 2;
        }
        render.obliqueDegrees = {a, b};
      }
      return app::runRender(render);
    }

    ui::ApplicationOptions options;
    if (!ui::parseLanguage(lang, options.language)) return 2;
    options.assetsDir = app::assetsDir();
    options.layout = layout;
    options.open = openPath.empty() ? options.assetsDir / "demo" : std::filesystem::path(openPath);
    if (!screenshot.empty()) {
      options.screenshot = screenshot;
      options.frames = frames;
    } else if (std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr) {
      std::fprintf(stderr,
                   "confrere: no display. Run the viewer under a virtual X server:\n"
                   "  xvfb-run -a -s '-screen 0 1920x1080x24' confrere\n"
                   "or render headless: confrere render --demo --out demo.png --size 1024x768\n");
      return 1;
    }
    return ui::runApplication(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "confrere: %s\n", e.what());
    return 1;
  }
}
