#include "i18n.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <string>

namespace confrere::ui {
namespace {

struct Entry {
  std::string_view key;
  const char* fr;
  const char* en;
};

// Sorted by key is not required; the table is small and looked up by scan.
constexpr Entry kEntries[] = {
    {"app.title", "Confrère — téléexpertise", "Confrère — tele-expertise"},
    {"menu.file", "Fichier", "File"},
    {"menu.file.open", "Ouvrir…", "Open…"},
    {"menu.file.demo", "Ouvrir le cas de démonstration", "Open the demo case"},
    {"menu.file.screenshot", "Capture d’écran de la fenêtre", "Window screenshot"},
    {"menu.file.quit", "Quitter", "Quit"},
    {"menu.view", "Affichage", "View"},
    {"menu.view.fit", "Ajuster à la fenêtre", "Fit to window"},
    {"menu.view.actual", "Taille réelle (1:1)", "Actual size (1:1)"},
    {"menu.view.invert", "Inverser", "Invert"},
    {"menu.view.reset", "Réinitialiser", "Reset"},
    {"menu.view.flip_h", "Miroir horizontal", "Flip horizontally"},
    {"menu.view.flip_v", "Miroir vertical", "Flip vertically"},
    {"menu.view.rotate", "Pivoter de 90°", "Rotate 90°"},
    {"menu.view.calibration", "Étalonnage de l’écran", "Screen calibration"},
    {"menu.layout", "Disposition", "Layout"},
    {"key.space", "Espace", "Space"},
    {"menu.language", "Langue", "Language"},
    {"menu.help", "Aide", "Help"},
    {"menu.help.about", "À propos de Confrère", "About Confrère"},
    {"panel.browser", "Examens", "Studies"},
    {"panel.viewport", "Visualisation", "Viewport"},
    {"panel.properties", "Propriétés", "Properties"},
    {"browser.empty", "Aucun examen chargé.", "No study loaded."},
    {"browser.demo", "Cas de démonstration", "Demo case"},
    {"viewport.none", "Sélectionnez une série ou une photo.", "Select a series or a photo."},
    {"viewport.window", "Fenêtre", "Window"},
    {"viewport.slice", "Coupe", "Slice"},
    {"viewport.reduced", "réduit", "reduced"},
    {"view.axial", "Axial", "Axial"},
    {"view.coronal", "Coronal", "Coronal"},
    {"view.sagittal", "Sagittal", "Sagittal"},
    {"view.oblique", "Oblique", "Oblique"},
    {"view.mip", "MIP", "MIP"},
    {"view.minip", "MinIP", "MinIP"},
    {"view.vr", "Rendu volumique", "Volume rendering"},
    {"viewport.image", "Image", "Image"},
    {"viewport.loading", "Chargement", "Loading"},
    {"viewport.ecg_soon", "Tracé ECG : lecture disponible prochainement (voir confrere info).",
     "ECG tracing: viewing coming soon (see confrere info)."},
    {"browser.errors", "Fichiers illisibles", "Unreadable files"},
    {"viewport.zoom", "Zoom", "Zoom"},
    {"about.text",
     "Poste de téléexpertise : imagerie DICOM, ECG et photographies, compte‑rendu signé et chiffré. "
     "Caractères : é è à ç ô œ ’ € µ ±",
     "Tele-expertise workstation: DICOM imaging, ECG and photos, signed and encrypted report. "
     "Glyphs: é è à ç ô œ ’ € µ ±"},
    {"error.title", "Erreur", "Error"},
    {"open.prompt", "Fichier, dossier, DICOMDIR ou zip à ouvrir (ou glissez-le sur la fenêtre) :",
     "File, folder, DICOMDIR or zip to open (or drop it on the window):"},
    {"open.button", "Ouvrir", "Open"},
    {"screenshot.saved", "Capture enregistrée :", "Screenshot saved:"},
    {"common.close", "Fermer", "Close"},
};

std::atomic<Language> g_language{Language::French};

}  // namespace

bool parseLanguage(std::string_view code, Language& out) {
  std::string lower(code);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "fr" || lower == "fr_fr" || lower == "français" || lower == "francais") {
    out = Language::French;
    return true;
  }
  if (lower == "en" || lower == "en_gb" || lower == "en_us" || lower == "english") {
    out = Language::English;
    return true;
  }
  return false;
}

void setLanguage(Language language) { g_language = language; }
Language language() { return g_language; }

const char* tr(std::string_view key) {
  for (const Entry& e : kEntries) {
    if (e.key == key) {
      return g_language == Language::French ? e.fr : e.en;
    }
  }
  // Unknown keys are shown as such; the string_view points into a literal
  // at every call site, so data() is NUL-terminated.
  return key.data();
}

std::string_view firstIncompleteKey() {
  for (const Entry& e : kEntries) {
    if (e.fr == nullptr || e.en == nullptr || *e.fr == '\0' || *e.en == '\0') {
      return e.key;
    }
  }
  return {};
}

}  // namespace confrere::ui
