// Téléexpertise billing: the rule table and the evaluation of one act.
//
// [SECTION] Rule table (the only place with billing numbers and dates)
// [SECTION] Dates
// [SECTION] Names (acts, roles, professions, modes)
// [SECTION] Table queries
// [SECTION] Configuration
// [SECTION] Price
// [SECTION] Patient keys
// [SECTION] Evaluation
#include "confrere/exchange/billing.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "confrere/exchange/identifiers.h"

namespace confrere::exchange {
namespace {

// [SECTION] Rule table --------------------------------------------------------
// Source: shared DOMAIN.md (Assurance Maladie NGAP, conventions 2019, 2022,
// 2024-2029). Change a rule here, with its dates; nothing else holds numbers.

constexpr Date kTeleexpertiseStart{2019, 2, 10};  // TE1/TE2 levels (avenant 6)
constexpr Date kReform2022{2022, 4, 1};           // RQD for the requester, TE2 single level
constexpr Date kLastDayBefore2022{2022, 3, 31};
constexpr Date kTe2Raise2026{2026, 1, 1};
constexpr Date kLastDayBefore2026{2025, 12, 31};
// The 2024-2029 convention stopped counting téléexpertise in the 20 % share of
// remote activity. DOMAIN.md: "until 2025 this counted ... téléexpertises";
// read as: counted for acts up to 2024-12-31, not from 2025-01-01.
constexpr Date kLastDayTeCountedAsRemote{2024, 12, 31};

constexpr int kExpertYearlyCap = 4;      // billable acts a year, per patient, for a given expert
constexpr int kRemoteSharePercent = 20;  // of a doctor's yearly activity
constexpr int kTwoPerYearLimit = 2;      // unconfirmed

constexpr std::array kDoctorOnly{Profession::Doctor};
constexpr std::array kExperts{Profession::Doctor, Profession::Midwife};
// Requesters of RQD: doctors, midwives, and the paramedical professions whose
// convention opened it.
constexpr std::array kRequesters{
    Profession::Doctor,          Profession::Midwife,         Profession::Nurse,     Profession::AdvancedPracticeNurse,
    Profession::Physiotherapist, Profession::SpeechTherapist, Profession::Podiatrist};
// Professions the unconfirmed "2 acts a year" rule is said to concern.
constexpr std::array kParamedicalRequesters{Profession::Nurse, Profession::AdvancedPracticeNurse,
                                            Profession::Physiotherapist, Profession::SpeechTherapist,
                                            Profession::Podiatrist};
constexpr std::span<const Profession> kNobody{};

// Sorted by act, role, then date; intervals of one (act, role) do not overlap.
const std::array<TariffRule, 5> kTariffs{{
    {"TE1-expert", Act::TE1, Role::Expert, kTeleexpertiseStart, kLastDayBefore2022, 1200, std::nullopt, kDoctorOnly,
     false, kExpertYearlyCap},
    {"TE1-requester", Act::TE1, Role::Requester, kTeleexpertiseStart, kLastDayBefore2022, 500, std::nullopt,
     kDoctorOnly, false, 0},
    {"RQD-2022", Act::RQD, Role::Requester, kReform2022, std::nullopt, 1000, 1200, kRequesters, false, 0},
    {"TE2-2022", Act::TE2, Role::Expert, kReform2022, kLastDayBefore2026, 2000, 2400, kExperts, true, kExpertYearlyCap},
    {"TE2-2026", Act::TE2, Role::Expert, kTe2Raise2026, std::nullopt, 2300, 2760, kExperts, true, kExpertYearlyCap},
}};

const std::array<ConditionRule, 6> kConditions{{
    {rule::kEligibility, "only the professions listed for a tariff may bill it", true, kTeleexpertiseStart,
     std::nullopt, 0, kNobody},
    {rule::kYearlyCap,
     "at most 4 billable acts a year per patient for a given expert; beyond, recorded as not billable", true,
     kTeleexpertiseStart, std::nullopt, kExpertYearlyCap, kNobody},
    {rule::kNoCombination, "TE2 cannot be combined with any other NGAP/CCAM act or supplement", true,
     kTeleexpertiseStart, std::nullopt, 0, kNobody},
    {rule::kRemoteShare,
     "at most 20 % of a doctor's yearly activity may be remote; téléexpertise counts (expert only) until the "
     "2024-2029 convention",
     true, kTeleexpertiseStart, kLastDayTeCountedAsRemote, kRemoteSharePercent, kDoctorOnly},
    {rule::kSameMsp, "not billable between professionals of the same MSP (seen in guides, not confirmed)", false,
     kTeleexpertiseStart, std::nullopt, 0, kNobody},
    {rule::kTwoPerYear, "2 acts a year per patient for some professions (seen in guides, not confirmed)", false,
     kReform2022, std::nullopt, kTwoPerYearLimit, kParamedicalRequesters},
}};

// [SECTION] Names --------------------------------------------------------------

constexpr std::array kActs{Act::RQD, Act::TE1, Act::TE2};
constexpr std::array kProfessions{
    Profession::Doctor,          Profession::Midwife,         Profession::Nurse,      Profession::AdvancedPracticeNurse,
    Profession::Physiotherapist, Profession::SpeechTherapist, Profession::Podiatrist, Profession::Pharmacist,
    Profession::Dentist,         Profession::Orthoptist,      Profession::Other};

struct ProfessionAlias {
  std::string_view name;
  Profession profession;
};
constexpr std::array<ProfessionAlias, 16> kProfessionAliases{{
    {"medecin", Profession::Doctor},
    {"physician", Profession::Doctor},
    {"sage-femme", Profession::Midwife},
    {"ide", Profession::Nurse},
    {"infirmier", Profession::Nurse},
    {"infirmiere", Profession::Nurse},
    {"advanced-practice-nurse", Profession::AdvancedPracticeNurse},
    {"kine", Profession::Physiotherapist},
    {"masseur-kinesitherapeute", Profession::Physiotherapist},
    {"physical-therapist", Profession::Physiotherapist},
    {"orthophoniste", Profession::SpeechTherapist},
    {"pedicure-podologue", Profession::Podiatrist},
    {"podologue", Profession::Podiatrist},
    {"pharmacien", Profession::Pharmacist},
    {"chirurgien-dentiste", Profession::Dentist},
    {"orthoptiste", Profession::Orthoptist},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

std::string trim(std::string_view s) {
  const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return std::string(s);
}

template <class T, class Name>
std::string joinNames(std::span<const T> items, Name name) {
  std::string out;
  for (const T& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

std::string professionList(std::span<const Profession> professions) {
  return joinNames(professions, [](Profession p) { return std::string(toString(p)); });
}

bool contains(std::span<const Profession> professions, Profession p) {
  return std::find(professions.begin(), professions.end(), p) != professions.end();
}

bool inForce(const Date& from, const std::optional<Date>& to, const Date& date) {
  return from <= date && (!to || date <= *to);
}

bool isLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool parseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

// [SECTION] Dates ---------------------------------------------------------------

Result<Date> parseDate(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::InvalidArgument,
                     "date '" + std::string(text) + "': " + why + " (expected YYYY-MM-DD, e.g. 2026-01-15)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad("not in the form YYYY-MM-DD");
  Date d;
  if (!parseInt(text.substr(0, 4), d.year) || !parseInt(text.substr(5, 2), d.month) ||
      !parseInt(text.substr(8, 2), d.day)) {
    return bad("year, month and day must be digits");
  }
  if (d.year < 1900) return bad("year before 1900");
  if (d.month < 1 || d.month > 12) return bad("month must be 01..12");
  if (d.day < 1 || d.day > daysInMonth(d.year, d.month)) {
    return bad("day must be 01.." + std::to_string(daysInMonth(d.year, d.month)) + " in that month");
  }
  return d;
}

std::string toString(const Date& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

// [SECTION] Names -----------------------------------------------------------------

const char* toString(Act act) {
  switch (act) {
    case Act::TE1:
      return "TE1";
    case Act::RQD:
      return "RQD";
    case Act::TE2:
      return "TE2";
  }
  return "?";
}

std::span<const Act> allActs() {
  return kActs;
}

Result<Act> parseAct(std::string_view text) {
  const std::string wanted = lower(trim(text));
  for (Act act : kActs) {
    if (wanted == lower(toString(act))) return act;
  }
  return makeError(ErrorCode::InvalidArgument,
                   "unknown act '" + std::string(text) + "': valid acts are " +
                       joinNames(allActs(), [](Act a) { return std::string(toString(a)); }));
}

const char* toString(Role role) {
  return role == Role::Requester ? "requester" : "expert";
}

Result<Role> parseRole(std::string_view text) {
  const std::string wanted = lower(trim(text));
  if (wanted == "requester" || wanted == "requerant") return Role::Requester;
  if (wanted == "expert" || wanted == "requis") return Role::Expert;
  return makeError(ErrorCode::InvalidArgument,
                   "unknown role '" + std::string(text) + "': valid roles are requester, expert");
}

Role defaultRole(Act act) {
  return act == Act::RQD ? Role::Requester : Role::Expert;
}

const char* toString(Profession profession) {
  switch (profession) {
    case Profession::Doctor:
      return "doctor";
    case Profession::Midwife:
      return "midwife";
    case Profession::Nurse:
      return "nurse";
    case Profession::AdvancedPracticeNurse:
      return "ipa";
    case Profession::Physiotherapist:
      return "physiotherapist";
    case Profession::SpeechTherapist:
      return "speech-therapist";
    case Profession::Podiatrist:
      return "podiatrist";
    case Profession::Pharmacist:
      return "pharmacist";
    case Profession::Dentist:
      return "dentist";
    case Profession::Orthoptist:
      return "orthoptist";
    case Profession::Other:
      return "other";
  }
  return "?";
}

std::span<const Profession> allProfessions() {
  return kProfessions;
}

Result<Profession> parseProfession(std::string_view text) {
  std::string wanted = lower(trim(text));
  std::replace(wanted.begin(), wanted.end(), '_', '-');
  std::replace(wanted.begin(), wanted.end(), ' ', '-');
  for (Profession p : kProfessions) {
    if (wanted == toString(p)) return p;
  }
  for (const ProfessionAlias& alias : kProfessionAliases) {
    if (wanted == alias.name) return alias.profession;
  }
  return makeError(ErrorCode::InvalidArgument, "unknown profession '" + std::string(text) +
                                                   "': valid professions are " + professionList(kProfessions));
}

const char* toString(RuleMode mode) {
  switch (mode) {
    case RuleMode::Off:
      return "off";
    case RuleMode::Warn:
      return "warn";
    case RuleMode::Enforce:
      return "enforce";
  }
  return "?";
}

const char* toString(Severity severity) {
  switch (severity) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Blocking:
      return "blocking";
  }
  return "?";
}

std::string formatEuros(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::int64_t abs = negative ? -cents : cents;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", negative ? "-" : "", static_cast<long long>(abs / 100),
                static_cast<long long>(abs % 100));
  return buf;
}

// [SECTION] Table queries -----------------------------------------------------------

std::span<const TariffRule> tariffRules() {
  return kTariffs;
}
std::span<const ConditionRule> conditionRules() {
  return kConditions;
}

const ConditionRule* findConditionRule(std::string_view id, const Date& date) {
  for (const ConditionRule& r : kConditions) {
    if (r.id == id && inForce(r.validFrom, r.validTo, date)) return &r;
  }
  return nullptr;
}

bool teleexpertiseCountsAsRemote(const Date& date) {
  return findConditionRule(rule::kRemoteShare, date) != nullptr;
}

// [SECTION] Configuration -------------------------------------------------------------

std::vector<std::string> BillingConfig::switchableRules() {
  std::vector<std::string> ids;
  for (const ConditionRule& r : kConditions) {
    if (!r.confirmed && std::find(ids.begin(), ids.end(), r.id) == ids.end()) ids.emplace_back(r.id);
  }
  return ids;
}

RuleMode BillingConfig::modeFor(std::string_view ruleId) const {
  const auto it = m_modes.find(ruleId);
  if (it != m_modes.end()) return it->second;
  for (const ConditionRule& r : kConditions) {
    if (r.id == ruleId) return r.confirmed ? RuleMode::Enforce : RuleMode::Warn;
  }
  return RuleMode::Enforce;
}

Status BillingConfig::set(std::string_view ruleId, RuleMode mode) {
  const std::vector<std::string> switchable = switchableRules();
  std::string list;
  for (const std::string& id : switchable) list += (list.empty() ? "" : ", ") + id;
  if (std::find(switchable.begin(), switchable.end(), ruleId) == switchable.end()) {
    const bool known =
        std::any_of(kConditions.begin(), kConditions.end(), [&](const ConditionRule& r) { return r.id == ruleId; });
    return makeError(ErrorCode::InvalidArgument,
                     "rule '" + std::string(ruleId) +
                         "': " + (known ? "confirmed rules are always enforced" : std::string("unknown rule")) +
                         "; switchable rules are " + list);
  }
  m_modes[std::string(ruleId)] = mode;
  return okStatus();
}

Status BillingConfig::apply(std::string_view specList) {
  BillingConfig next = *this;  // all or nothing
  std::string_view rest = specList;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return makeError(ErrorCode::InvalidArgument,
                       "rule setting '" + item + "': expected RULE=MODE with MODE off, warn or enforce");
    }
    const std::string id = trim(item.substr(0, eq));
    const std::string modeText = lower(trim(item.substr(eq + 1)));
    RuleMode mode = RuleMode::Warn;
    if (modeText == "off") {
      mode = RuleMode::Off;
    } else if (modeText == "warn") {
      mode = RuleMode::Warn;
    } else if (modeText == "enforce") {
      mode = RuleMode::Enforce;
    } else {
      return makeError(ErrorCode::InvalidArgument,
                       "rule setting '" + item + "': mode '" + modeText + "' is not one of off, warn, enforce");
    }
    if (Status s = next.set(id, mode); !s) return s;
  }
  *this = std::move(next);
  return okStatus();
}

// [SECTION] Price ------------------------------------------------------------------------

Result<PriceQuote> price(Act act, const Date& date, bool overseas, std::optional<Role> role) {
  const Role who = role.value_or(defaultRole(act));
  const TariffRule* earliest = nullptr;
  const TariffRule* latest = nullptr;
  for (const TariffRule& r : kTariffs) {
    if (r.act != act || r.role != who) continue;
    if (earliest == nullptr || r.validFrom < earliest->validFrom) earliest = &r;
    if (latest == nullptr || r.validFrom > latest->validFrom) latest = &r;
    if (!inForce(r.validFrom, r.validTo, date)) continue;
    PriceQuote quote{act, who, date, overseas, r.mainlandCents, &r, {}};
    if (overseas) {
      if (r.overseasCents) {
        quote.amountCents = *r.overseasCents;
      } else {
        quote.notes.push_back(std::string(toString(act)) + " has no overseas (DROM) tariff on " + toString(date) +
                              ": mainland amount " + formatEuros(r.mainlandCents) + " EUR used");
      }
    }
    return quote;
  }
  if (earliest == nullptr) {
    std::string roles;
    for (const TariffRule& r : kTariffs) {
      if (r.act == act && roles.find(toString(r.role)) == std::string::npos) {
        roles += (roles.empty() ? "" : ", ") + std::string(toString(r.role));
      }
    }
    return makeError(ErrorCode::InvalidArgument, std::string(toString(act)) + " is not billed by the " + toString(who) +
                                                     " (billed by: " + roles + ")");
  }
  const std::string name =
      std::string(toString(act)) + (act == Act::TE1 ? std::string(" (") + toString(who) + ")" : "");
  if (date < earliest->validFrom) {
    return makeError(ErrorCode::NotFound, "no tariff for " + name + " on " + toString(date) + ": " + toString(act) +
                                              " exists from " + toString(earliest->validFrom));
  }
  if (latest->validTo && *latest->validTo < date) {
    std::string replacement;
    if (act == Act::TE1) replacement = " (replaced by TE2 for the expert and RQD for the requester)";
    return makeError(ErrorCode::NotFound, "no tariff for " + name + " on " + toString(date) + ": " + toString(act) +
                                              " was billable from " + toString(earliest->validFrom) + " to " +
                                              toString(*latest->validTo) + replacement);
  }
  return makeError(ErrorCode::NotFound, "no tariff for " + name + " on " + toString(date));  // a gap in the table
}

Result<PriceQuote> price(std::string_view act, const Date& date, bool overseas, std::optional<Role> role) {
  Result<Act> parsed = parseAct(act);
  if (!parsed) return parsed.error();
  return price(*parsed, date, overseas, role);
}

// [SECTION] Patient keys -----------------------------------------------------------------

namespace {
constexpr std::string_view kInsPrefix = "INS:";
constexpr std::string_view kLocalPrefix = "LOCAL:";
constexpr std::size_t kMaxLocalId = 64;
}  // namespace

Result<std::string> patientKeyFromIns(std::string_view ins) {
  const std::string value = trim(ins);
  if (Status s = checkIns(value); !s) return s.error();
  std::string key(kInsPrefix);
  key += value;
  // Corsican 2A/2B are case-insensitive in insKey; keep one spelling for counting.
  for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

Result<std::string> patientKeyFromLocalId(std::string_view localId) {
  const std::string value = trim(localId);
  const bool valid =
      !value.empty() && value.size() <= kMaxLocalId && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
      });
  if (!valid) {
    return makeError(ErrorCode::InvalidArgument, "local patient id '" + std::string(localId) +
                                                     "': expected 1 to 64 characters among A-Z a-z 0-9 . _ -");
  }
  return std::string(kLocalPrefix) + value;
}

Status checkPatientKey(std::string_view key) {
  if (key.starts_with(kInsPrefix)) {
    Result<std::string> k = patientKeyFromIns(key.substr(kInsPrefix.size()));
    if (!k) return k.error();
    if (*k != key) {
      return makeError(ErrorCode::InvalidArgument, "patient key '" + std::string(key) + "': write it as '" + *k + "'");
    }
    return okStatus();
  }
  if (key.starts_with(kLocalPrefix)) {
    Result<std::string> k = patientKeyFromLocalId(key.substr(kLocalPrefix.size()));
    if (!k) return k.error();
    if (*k != key) {
      return makeError(ErrorCode::InvalidArgument, "patient key '" + std::string(key) + "': write it as '" + *k + "'");
    }
    return okStatus();
  }
  return makeError(ErrorCode::InvalidArgument,
                   "patient key '" + std::string(key) + "': expected INS:<15-character INS> or LOCAL:<local id>");
}

std::string insOfPatientKey(std::string_view key) {
  return key.starts_with(kInsPrefix) ? std::string(key.substr(kInsPrefix.size())) : std::string();
}

// [SECTION] Evaluation ------------------------------------------------------------------

namespace {

Status checkSpecialty(std::string_view code) {
  if (code.empty()) return okStatus();
  if (code.size() == 2 && std::isdigit(static_cast<unsigned char>(code[0])) != 0 &&
      std::isdigit(static_cast<unsigned char>(code[1])) != 0) {
    return okStatus();
  }
  return makeError(ErrorCode::InvalidArgument, "specialty code '" + std::string(code) +
                                                   "': expected the insurer's 2-digit code (01 = general practice)");
}

// The finding of an unconfirmed rule in its configured mode (nothing when off).
void addSwitchable(Evaluation& e, const BillingConfig& config, std::string_view id, const std::string& message) {
  const RuleMode mode = config.modeFor(id);
  if (mode == RuleMode::Off) return;
  const bool enforced = mode == RuleMode::Enforce;
  e.findings.push_back(
      {std::string(id), enforced ? Severity::Blocking : Severity::Warning,
       message + (enforced ? " (unconfirmed rule, enforced by configuration)" : " (unconfirmed rule: warning only)")});
}

}  // namespace

Result<Evaluation> evaluate(const ActRequest& request, const LedgerCounters& counters, const BillingConfig& config) {
  const Practitioner& who = request.practitioner;
  if (Status s = checkRpps(who.rpps); !s) return makeError(s.error().code, "practitioner " + s.error().message);
  if (Status s = checkSpecialty(who.specialtyCode); !s) return s.error();
  if (Status s = checkPatientKey(request.patientKey); !s) return s.error();
  if (request.counterpart) {
    if (Status s = checkRpps(request.counterpart->rpps); !s) {
      return makeError(s.error().code, "counterpart " + s.error().message);
    }
    if (request.counterpart->rpps == who.rpps) {
      return makeError(ErrorCode::InvalidArgument,
                       "counterpart RPPS '" + who.rpps + "' is the practitioner's own: requester and expert differ");
    }
  }
  Result<PriceQuote> quote = price(request.act, request.date, request.overseas, request.role);
  if (!quote) return quote.error();

  const TariffRule& tariff = *quote->rule;
  Evaluation e;
  e.act = request.act;
  e.role = quote->role;
  e.tariffCents = quote->amountCents;
  e.rule = &tariff;
  const std::string act = toString(request.act);
  const std::string year = std::to_string(request.date.year);

  if (!contains(tariff.eligible, who.profession)) {
    e.findings.push_back({std::string(rule::kEligibility), Severity::Blocking,
                          std::string("a ") + toString(who.profession) + " cannot bill " + act + " as " +
                              toString(e.role) + " (eligible: " + professionList(tariff.eligible) + ")"});
  }

  if (tariff.maxPerYearPerPatient > 0 && counters.billableActsThisYear >= tariff.maxPerYearPerPatient) {
    e.findings.push_back({std::string(rule::kYearlyCap), Severity::Blocking,
                          "this patient already has " + std::to_string(counters.billableActsThisYear) +
                              " billable acts with this " + toString(e.role) + " in " + year + " (at most " +
                              std::to_string(tariff.maxPerYearPerPatient) +
                              " a year): the act is recorded, not billable"});
  }

  // Exclusive acts (TE2) stand alone; another exclusive act among the others
  // excludes this one as well.
  std::vector<std::string> others;
  bool otherExclusive = false;
  for (const std::string& code : request.otherActsSameDay) {
    const std::string c = trim(code);
    if (c.empty()) continue;
    others.push_back(c);
    Result<Act> otherAct = parseAct(c);
    if (otherAct) {
      for (const TariffRule& r : kTariffs) {
        if (r.act == *otherAct && r.exclusive && inForce(r.validFrom, r.validTo, request.date)) otherExclusive = true;
      }
    }
  }
  if (!others.empty() && (tariff.exclusive || otherExclusive)) {
    std::string list;
    for (const std::string& c : others) list += (list.empty() ? "" : ", ") + c;
    e.findings.push_back({std::string(rule::kNoCombination), Severity::Blocking,
                          tariff.exclusive
                              ? act +
                                    " cannot be combined with another NGAP/CCAM act or supplement "
                                    "for this patient the same day (found: " +
                                    list + ")"
                              : act + " cannot be billed with an act that must stand alone (found: " + list + ")"});
  }

  if (request.counterpart && !who.structureId.empty() && who.structureId == request.counterpart->structureId &&
      findConditionRule(rule::kSameMsp, request.date) != nullptr) {
    addSwitchable(e, config, rule::kSameMsp, "requester and expert belong to the same MSP (" + who.structureId + ")");
  }

  if (const ConditionRule* two = findConditionRule(rule::kTwoPerYear, request.date);
      two != nullptr && contains(two->professions, who.profession) && counters.billableActsThisYear >= two->limit) {
    addSwitchable(e, config, rule::kTwoPerYear,
                  std::string("a ") + toString(who.profession) + " already has " +
                      std::to_string(counters.billableActsThisYear) + " billable acts for this patient in " + year +
                      " (said to be limited to " + std::to_string(two->limit) + " a year)");
  }

  e.billable = std::none_of(e.findings.begin(), e.findings.end(),
                            [](const Finding& f) { return f.severity == Severity::Blocking; });
  e.amountCents = e.billable ? e.tariffCents : 0;

  // 20 % rule: a counter and a warning, never a block (the year's whole
  // activity is only known at its end).
  if (e.role == Role::Expert) {
    const ConditionRule* share = findConditionRule(rule::kRemoteShare, request.date);
    if (share != nullptr && contains(share->professions, who.profession)) {
      e.countsAsRemote = e.billable;
      const long long remote = counters.remoteActsThisYear + (e.countsAsRemote ? 1 : 0);
      const long long total = counters.totalActivityThisYear;
      if (total > 0 && remote * 100 > total * share->limit) {
        e.findings.push_back({std::string(rule::kRemoteShare), Severity::Warning,
                              "remote activity in " + year + " reaches " + std::to_string(remote) + " of " +
                                  std::to_string(total) + " acts, above the " + std::to_string(share->limit) +
                                  " % allowed"});
      }
    } else if (share == nullptr && who.profession == Profession::Doctor) {
      e.findings.push_back({std::string(rule::kRemoteShare), Severity::Info,
                            "téléexpertise on " + toString(request.date) +
                                " is not counted in the 20 % remote-activity share (2024-2029 convention)"});
    }
  }
  for (const std::string& note : quote->notes) {
    e.findings.push_back({std::string(rule::kOverseasTariff), Severity::Info, note});
  }
  std::stable_sort(e.findings.begin(), e.findings.end(), [](const Finding& a, const Finding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
  return e;
}

}  // namespace confrere::exchange
