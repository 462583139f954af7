#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>

namespace boo {

class Database;

// How the operator marked one model in the pickers. A model without a row is neither.
struct ModelPreference
{
    QString provider;
    QString model;
    bool favorite = false;
    bool hidden = false;
    qint64 updatedAtMs = 0;

    friend bool operator==(const ModelPreference &, const ModelPreference &) = default;
};

// The `model_preferences` table (migration 10), in either dialect.
class ModelPreferenceStore final
{
public:
    static Result<QList<ModelPreference>> load(Database &db);
    // Inserts or replaces the row of (provider, model); a row that is neither favorite nor hidden
    // is deleted, so the table only holds marks.
    static Result<void> save(Database &db, const ModelPreference &preference);
};

} // namespace boo
