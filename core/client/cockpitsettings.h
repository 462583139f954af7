#pragma once

#include "core/alerts/alert.h"
#include "core/store/databaseurl.h"
#include "core/store/retention.h"

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

    static CockpitSettings load(QSettings &settings);
    // Writes everything but the database password; the caller stores that in the keychain.
    void save(QSettings &settings) const;
};

} // namespace boo
