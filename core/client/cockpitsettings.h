#pragma once

#include "core/alerts/alert.h"
#include "core/store/databaseurl.h"
#include "core/store/retention.h"

#include <QLocale>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace boo {

// What the settings dialog changes besides the provider file, kept in QSettings. A database
// password never goes there: the URL is stored with "***" and the password in the system
// keychain (entry kDatabasePasswordEntry), like provider API keys.
struct CockpitSettings
{
    static constexpr const char *kDatabasePasswordEntry = "database-password";

    std::optional<DatabaseUrl> database; // empty: the default SQLite file (or --db)
    RetentionPolicy retention;
    AlertThresholds alerts;
    // The cockpit's language: empty for the system's, or "en", "de". Read at start only.
    QString language;

    static CockpitSettings load(QSettings &settings);
    // Writes everything but the database password; the caller stores that in the keychain.
    void save(QSettings &settings) const;

    // The languages a user can choose besides the system's (codes as kept in `language`).
    static QStringList languages();
    // The locale the program runs in for a chosen language: the system's when none is chosen
    // (or it is unknown), or when the system's already speaks it (de_AT stays de_AT); otherwise
    // the language in its main country (en_US, de_DE). Translations and number/date formats
    // both follow it.
    static QLocale uiLocale(const QString &language, const QLocale &system = QLocale::system());
    // The locale whose translation to load for a UI locale: itself, except that a "C"/POSIX
    // environment (containers, AppImage sandboxes, CI) names no language, and its words are
    // English, which still needs its plural forms ("1 gap", not "1 gap(s)").
    static QLocale translationLocale(const QLocale &ui);
    // The language chosen in the settings store, without loading the rest.
    static QString storedLanguage(const QSettings &settings);
};

} // namespace boo
