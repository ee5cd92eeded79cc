// User-interface strings in French (default) and English. Code, logs and the
// command line stay in English; everything a user reads in the window comes
// from here.
#pragma once

#include <string_view>

namespace confrere::ui {

enum class Language { French, English };

// Parses "fr" / "en" (case-insensitive). Returns false for anything else.
bool parseLanguage(std::string_view code, Language& out);

void setLanguage(Language language);
Language language();

// The text for `key` in the current language. An unknown key returns the key
// itself, so a missing entry shows up on screen instead of an empty label.
const char* tr(std::string_view key);

// Checks that every key has both a French and an English text (for tests):
// returns the first key missing one, or an empty view.
std::string_view firstIncompleteKey();

}  // namespace confrere::ui
