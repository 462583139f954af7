#include "core/store/modelpreferencestore.h"

#include "core/common/jsonreader.h"
#include "core/store/database.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject ModelPreference::toJson() const
{
    return QJsonObject{
        {u"provider"_s, provider}, {u"model"_s, model}, {u"favorite"_s, favorite}, {u"hidden"_s, hidden}, {u"updated_at"_s, updatedAtMs}};
}

Result<ModelPreference> ModelPreference::fromJson(const QJsonObject &object)
{
    static constexpr JsonErrorCodes codes{"prefs.invalid", "prefs.invalid", "prefs.invalid"};
    JsonReader in(object, u"model preference"_s, codes);
    ModelPreference p;
    p.provider = in.string(u"provider"_s, JsonReader::Required);
    p.model = in.string(u"model"_s, JsonReader::Required);
    p.favorite = in.boolean(u"favorite"_s);
    p.hidden = in.boolean(u"hidden"_s);
    p.updatedAtMs = in.integer(u"updated_at"_s);
    if (in.failed())
        return in.error();
    return p;
}

Result<QList<ModelPreference>> ModelPreferenceStore::load(Database &db)
{
    auto query = db.exec(u"SELECT provider, model, favorite, hidden, updated_at FROM model_preferences ORDER BY provider, model"_s);
    if (!query)
        return query.error();
    QList<ModelPreference> out;
    while (query->next()) {
        out.append(ModelPreference{query->value(0).toString(), query->value(1).toString(), query->value(2).toInt() != 0,
                                   query->value(3).toInt() != 0, query->value(4).toLongLong()});
    }
    return out;
}

Result<void> ModelPreferenceStore::save(Database &db, const ModelPreference &p)
{
    if (p.provider.isEmpty() || p.model.isEmpty())
        return makeError(u"prefs.invalid"_s, u"a model preference needs a provider and a model"_s);
    if (!p.favorite && !p.hidden) {
        auto deleted = db.exec(u"DELETE FROM model_preferences WHERE provider = ? AND model = ?"_s, {p.provider, p.model});
        if (!deleted)
            return deleted.error();
        return {};
    }
    // One statement, never check-then-act: two cockpits may mark the same model at once.
    auto upserted = db.exec(u"INSERT INTO model_preferences (provider, model, favorite, hidden, updated_at) VALUES (?, ?, ?, ?, ?) "
                            u"ON CONFLICT (provider, model) DO UPDATE SET favorite = excluded.favorite, hidden = excluded.hidden, "
                            u"updated_at = excluded.updated_at"_s,
                            {p.provider, p.model, int(p.favorite), int(p.hidden), p.updatedAtMs});
    if (!upserted)
        return upserted.error();
    return {};
}

} // namespace boo
