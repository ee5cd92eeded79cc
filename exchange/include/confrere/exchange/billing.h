// Téléexpertise billing (Assurance Maladie, NGAP): the rule table with its
// validity dates, tariffs, and the evaluation of one act (billable or not, and
// why). The numbers live in one table in billing.cpp; see shared DOMAIN.md.
//
// [SECTION] Dates
// [SECTION] Acts, roles, professions
// [SECTION] Rule table
// [SECTION] Configuration of the unconfirmed rules
// [SECTION] Price
// [SECTION] Evaluation of one act
//
// Amounts are integer euro cents everywhere. Every function here is pure and
// thread-safe (the rule table is immutable). Failures a user can cause (bad
// date, unknown act, malformed RPPS or INS) return an Error whose message
// names the value and what would be valid; a valid act that is not billable is
// NOT an error: it is an Evaluation with billable=false and its reasons.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "confrere/imaging/result.h"

namespace confrere::exchange {

// [SECTION] Dates ------------------------------------------------------------

// A civil date (proleptic Gregorian), as written on an act: no time, no zone.
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  auto operator<=>(const Date&) const = default;
};

// Parses exactly "YYYY-MM-DD" (a real calendar day, year 1900..9999).
// Fails with InvalidArgument naming the text and the expected form.
Result<Date> parseDate(std::string_view text);
// "YYYY-MM-DD".
std::string toString(const Date& date);
// Today in the local time zone (the date a practitioner writes on an act).
Date today();

// [SECTION] Acts, roles, professions ----------------------------------------

enum class Act {
  TE1,  // historic expertise act (2019-02-10 .. 2022-03-31), expert and requester tariffs
  RQD,  // requester's act (from 2022-04-01)
  TE2,  // expert's act (from 2022-04-01)
};
// "TE1", "RQD", "TE2".
const char* toString(Act act);
// Case-insensitive. Fails with InvalidArgument: "unknown act 'X': valid acts are RQD, TE1, TE2".
Result<Act> parseAct(std::string_view text);
// Every act, in the order of the error messages.
std::span<const Act> allActs();

enum class Role {
  Requester,  // requérant: asks for the expertise
  Expert,     // requis: gives the opinion
};
const char* toString(Role role);                // "requester", "expert"
Result<Role> parseRole(std::string_view text);  // "requester"/"requerant", "expert"/"requis"
// The role that bills the act: RQD -> requester, TE2 -> expert, TE1 -> expert
// (TE1 has a requester tariff too; ask for it explicitly).
Role defaultRole(Act act);

enum class Profession {
  Doctor,
  Midwife,
  Nurse,                  // IDE
  AdvancedPracticeNurse,  // IPA
  Physiotherapist,        // masseur-kinésithérapeute
  SpeechTherapist,        // orthophoniste
  Podiatrist,             // pédicure-podologue
  Pharmacist,
  Dentist,
  Orthoptist,
  Other,
};
// Canonical names: doctor, midwife, nurse, ipa, physiotherapist,
// speech-therapist, podiatrist, pharmacist, dentist, orthoptist, other.
const char* toString(Profession profession);
// Accepts the canonical names and French aliases (medecin, sage-femme, ide,
// infirmier, kine, masseur-kinesitherapeute, orthophoniste, pedicure-podologue,
// pharmacien, chirurgien-dentiste, orthoptiste), case-insensitive. Fails with
// InvalidArgument listing the canonical names.
Result<Profession> parseProfession(std::string_view text);
std::span<const Profession> allProfessions();

// [SECTION] Rule table -------------------------------------------------------

// One tariff: what an act pays to one role between two dates (inclusive).
struct TariffRule {
  std::string_view id;  // stable name, e.g. "TE2-2026"
  Act act;
  Role role;
  Date validFrom;
  std::optional<Date> validTo;  // none: still in force
  std::int64_t mainlandCents;
  std::optional<std::int64_t> overseasCents;  // DROM; none: no overseas tariff known
  std::span<const Profession> eligible;       // who may bill it
  bool exclusive;                             // cannot be combined with another NGAP/CCAM act or supplement
  int maxPerYearPerPatient;                   // billable acts a year, per patient, per practitioner; 0: no cap
};

// The ids of the condition rules (the other half of the table).
namespace rule {
inline constexpr std::string_view kYearlyCap = "yearly-cap";          // confirmed: 4 a year per patient per expert
inline constexpr std::string_view kNoCombination = "no-combination";  // confirmed: TE2 alone
inline constexpr std::string_view kEligibility = "eligibility";       // confirmed: professions of the tariff
inline constexpr std::string_view kRemoteShare = "remote-share";      // confirmed: 20 % of activity, by date
inline constexpr std::string_view kSameMsp = "same-msp";              // unconfirmed: not between members of one MSP
inline constexpr std::string_view kTwoPerYear = "two-per-year";       // unconfirmed: 2 a year for some professions
// Not a condition, the id of a note: no DROM tariff in the table, mainland amount used.
inline constexpr std::string_view kOverseasTariff = "overseas-tariff";
}  // namespace rule

// A condition on billing. Unconfirmed rules (seen in guides, not in official
// texts) are warnings by default and can be switched (BillingConfig).
struct ConditionRule {
  std::string_view id;  // one of rule::k*
  std::string_view description;
  bool confirmed;
  Date validFrom;
  std::optional<Date> validTo;
  int limit;                                // yearly-cap / two-per-year: acts a year; remote-share: percent
  std::span<const Profession> professions;  // two-per-year, remote-share: professions concerned
};

// The whole table, immutable, sorted by act then date. Tariff intervals of one
// (act, role) never overlap (tested).
std::span<const TariffRule> tariffRules();
std::span<const ConditionRule> conditionRules();
// The condition rule with this id in force on `date`, or nullptr.
const ConditionRule* findConditionRule(std::string_view id, const Date& date);

// The 20 % rule by date: true when a téléexpertise billed by an expert doctor
// on `date` counts as remote activity (until the 2024-2029 convention
// stopped counting téléexpertise; see the table).
bool teleexpertiseCountsAsRemote(const Date& date);

// [SECTION] Configuration of the unconfirmed rules ---------------------------

enum class RuleMode {
  Off,      // not evaluated
  Warn,     // a warning, the act stays billable (default for unconfirmed rules)
  Enforce,  // the act is not billable
};
const char* toString(RuleMode mode);  // "off", "warn", "enforce"

// Modes of the unconfirmed rules. Confirmed rules are always enforced and
// cannot be switched.
class BillingConfig {
 public:
  // Warn for unconfirmed rules, Enforce for confirmed ones.
  RuleMode modeFor(std::string_view ruleId) const;
  // Sets one unconfirmed rule. Fails with InvalidArgument for an unknown id
  // (listing the switchable ones) or a confirmed rule.
  Status set(std::string_view ruleId, RuleMode mode);
  // Applies "id=mode[,id=mode...]" (e.g. "same-msp=enforce,two-per-year=off"),
  // as given by --rule or $CONFRERE_BILLING_RULES. Empty text: no change. On
  // failure nothing is changed.
  Status apply(std::string_view specList);
  // The ids that set() accepts.
  static std::vector<std::string> switchableRules();

 private:
  std::map<std::string, RuleMode, std::less<>> m_modes;
};

// [SECTION] Price ------------------------------------------------------------

struct PriceQuote {
  Act act;
  Role role;
  Date date;
  bool overseas;
  std::int64_t amountCents;
  const TariffRule* rule;          // points into the static table
  std::vector<std::string> notes;  // e.g. no overseas tariff: mainland amount used
};

// The tariff of `act` billed by `role` (default: defaultRole(act)) on `date`,
// mainland or overseas (DROM). Fails with InvalidArgument when the role does
// not bill this act, and NotFound when no tariff is in force that day, saying
// from when (or until when) the act exists.
Result<PriceQuote> price(Act act, const Date& date, bool overseas, std::optional<Role> role = std::nullopt);
// Same, parsing the act name (unknown act: InvalidArgument listing the valid ones).
Result<PriceQuote> price(std::string_view act, const Date& date, bool overseas,
                         std::optional<Role> role = std::nullopt);

// [SECTION] Evaluation of one act --------------------------------------------

// Patient keys are canonical strings: "INS:" + 15-character INS (checked with
// checkIns) or "LOCAL:" + a local id of 1..64 characters [A-Za-z0-9._-].
Result<std::string> patientKeyFromIns(std::string_view ins);
Result<std::string> patientKeyFromLocalId(std::string_view localId);
Status checkPatientKey(std::string_view key);
// The INS of an "INS:" key, empty for a local key.
std::string insOfPatientKey(std::string_view key);

struct Practitioner {
  std::string rpps;  // 11 digits (checkRpps)
  Profession profession = Profession::Doctor;
  std::string specialtyCode;  // insurer's code, 2 digits ("01" = general practice); may be empty
  std::string structureId;    // MSP / structure id; empty: none
};

// The other side of the expertise (the expert for a requester, the requester
// for an expert): used by the same-MSP rule and recorded with the act.
struct Counterpart {
  std::string rpps;         // 11 digits
  std::string structureId;  // empty: none / unknown
};

struct ActRequest {
  Act act = Act::TE2;
  std::optional<Role> role;  // default: defaultRole(act)
  Date date;
  bool overseas = false;      // practice in a DROM
  Practitioner practitioner;  // who bills
  std::string patientKey;     // patientKeyFromIns / patientKeyFromLocalId
  std::optional<Counterpart> counterpart;
  // Other NGAP/CCAM acts or supplements billed the same day for the same
  // patient by the same practitioner (codes such as "G", "APC", "MD").
  std::vector<std::string> otherActsSameDay;
};

// What the ledger knows when the act is evaluated (all zero without a ledger).
struct LedgerCounters {
  // Billable acts already recorded in the act's calendar year by this
  // practitioner, in the same role, for this patient.
  int billableActsThisYear = 0;
  // Acts of this practitioner counted as remote activity in that year (20 % rule).
  int remoteActsThisYear = 0;
  // The practitioner's whole activity for that year (acts in person and
  // remote), as declared to the ledger; 0 when unknown.
  int totalActivityThisYear = 0;
};

enum class Severity {
  Info,      // for the record
  Warning,   // shown; the act stays billable
  Blocking,  // the act is not billable
};
const char* toString(Severity severity);  // "info", "warning", "blocking"

struct Finding {
  std::string rule;  // a rule::k* id
  Severity severity;
  std::string message;
};

struct Evaluation {
  Act act;
  Role role;
  bool billable = false;
  std::int64_t amountCents = 0;  // what to bill: the tariff when billable, else 0
  std::int64_t tariffCents = 0;  // the tariff in force that day
  bool countsAsRemote = false;   // counted in the 20 % remote-activity counter
  const TariffRule* rule = nullptr;
  std::vector<Finding> findings;  // blocking reasons first, then warnings, then notes
};

// Evaluates one act against the rules in force on its date. Fails (Error,
// nothing to record) on malformed input: invalid RPPS (practitioner or
// counterpart, or both the same), patient key, specialty code, a role that
// does not bill the act, or no tariff on that date. An act that is done but
// not billable (ineligible profession, 5th act of the year, combined with
// another act, an enforced unconfirmed rule) is a value with billable=false:
// the software never blocks the medical act.
Result<Evaluation> evaluate(const ActRequest& request, const LedgerCounters& counters = {},
                            const BillingConfig& config = {});

// "23.00" for 2300 (no currency sign).
std::string formatEuros(std::int64_t cents);

}  // namespace confrere::exchange
