#include <gtest/gtest.h>

#include <string>

#include "render/gl.h"
#include "ui/i18n.h"

namespace confrere {
namespace {

TEST(I18n, FrenchByDefaultEnglishOnRequest) {
  ui::setLanguage(ui::Language::French);
  EXPECT_STREQ(ui::tr("menu.file"), "Fichier");
  ui::setLanguage(ui::Language::English);
  EXPECT_STREQ(ui::tr("menu.file"), "File");
  ui::setLanguage(ui::Language::French);
}

TEST(I18n, EveryKeyHasBothLanguages) { EXPECT_TRUE(ui::firstIncompleteKey().empty()) << ui::firstIncompleteKey(); }

TEST(I18n, UnknownKeyIsShownAsIs) { EXPECT_STREQ(ui::tr("no.such.key"), "no.such.key"); }

TEST(I18n, ParsesLanguageCodes) {
  ui::Language l{};
  EXPECT_TRUE(ui::parseLanguage("EN", l));
  EXPECT_EQ(l, ui::Language::English);
  EXPECT_TRUE(ui::parseLanguage("fr", l));
  EXPECT_EQ(l, ui::Language::French);
  EXPECT_FALSE(ui::parseLanguage("de", l));
}

TEST(ShaderLog, FindsTheLineInMesaAndOtherDriverLogs) {
  EXPECT_EQ(render::firstErrorLine("0:12(5): error: `foo' undeclared"), 12);
  EXPECT_EQ(render::firstErrorLine("ERROR: 0:7: 'x' : undeclared identifier"), 7);
  EXPECT_EQ(render::firstErrorLine("no line here"), 0);
}

}  // namespace
}  // namespace confrere
