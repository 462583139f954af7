#pragma once

#include "core/common/result.h"

#include <QJsonObject>
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

    // {"provider", "model", "favorite", "hidden", "updated_at"} for /api/model-preferences.
    QJsonObject toJson() const;
    // Strict: provider and model are required, the marks must be booleans when present.
    static Result<ModelPreference> fromJson(const QJsonObject &object);

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
