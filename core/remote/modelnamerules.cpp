// Rules about the names models answer to: their aliases and filters.setParamsByID keys.

#include "core/remote/configrules.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

template <typename Visit>
void forEachAlias(const RuleContext &context, Visit visit)
{
    const ConfigNode *models = context.names.models();
    if (!models || !models->isMap())
        return;
    for (const auto &[id, model] : models->entries) {
        const ConfigNode *aliases = model.child(u"aliases");
        if (!aliases || !aliases->isSequence())
            continue;
        for (const ConfigNode &alias : aliases->items) {
            if (alias.isString())
                visit(id, alias);
        }
    }
}

// The loader builds one alias map and refuses a second claim on a name, even by the same model.
void aliasDuplicate(const RuleContext &context)
{
    QHash<QString, QString> claimed;
    forEachAlias(context, [&](const QString &id, const ConfigNode &alias) {
        if (const auto it = claimed.constFind(alias.scalar); it != claimed.cend()) {
            context.sink.error(u"alias-duplicate"_s, alias,
                               *it == id
                                   ? u"alias '%1' is listed twice for this model"_s.arg(alias.scalar)
                                   : u"alias '%1' is already an alias of model '%2'; aliases must be unique"_s.arg(alias.scalar, *it));
            return;
        }
        claimed.insert(alias.scalar, id);
    });
}

// A model id is looked up before aliases, so an alias equal to one can never be reached.
void aliasShadowed(const RuleContext &context)
{
    forEachAlias(context, [&](const QString &id, const ConfigNode &alias) {
        if (!context.names.isModel(alias.scalar))
            return;
        context.sink.warning(u"alias-shadowed"_s, alias,
                             alias.scalar == id
                                 ? u"alias '%1' is the model's own id and has no effect"_s.arg(alias.scalar)
                                 : u"alias '%1' is the id of another model, which answers first: this alias is dead"_s.arg(alias.scalar));
    });
}

// setParamsByID keys are registered as aliases of their model; the loader refuses a key that is
// another model's id or alias.
void setParamsByIdConflict(const RuleContext &context)
{
    const ConfigNode *models = context.names.models();
    if (!models || !models->isMap())
        return;
    QHash<QString, QString> explicitAliases;
    forEachAlias(context, [&](const QString &id, const ConfigNode &alias) {
        if (!explicitAliases.contains(alias.scalar))
            explicitAliases.insert(alias.scalar, id);
    });
    QHash<QString, QString> keyOwners;
    for (const auto &[id, model] : models->entries) {
        const ConfigNode *byId = model.find({u"filters"_s, u"setParamsByID"_s});
        if (!byId || !byId->isMap())
            continue;
        for (const auto &[key, params] : byId->entries) {
            if (key == id)
                continue;
            const QString rule = u"set-params-by-id-conflict"_s;
            if (context.names.isModel(key)) {
                context.sink.atKey(FindingSeverity::Error, rule, params,
                                   u"key '%1' becomes an alias of this model but is the id of another model"_s.arg(key));
            } else if (const QString owner = explicitAliases.value(key, id); owner != id) {
                context.sink.atKey(FindingSeverity::Error, rule, params,
                                   u"key '%1' becomes an alias of this model but is already an alias of model '%2'"_s.arg(key, owner));
            } else if (const QString other = keyOwners.value(key, id); other != id) {
                context.sink.atKey(FindingSeverity::Error, rule, params,
                                   u"key '%1' is also a setParamsByID key of model '%2'; both would claim the alias"_s.arg(key, other));
            } else {
                keyOwners.insert(key, id);
            }
        }
    }
}

constexpr ConfigRule kRules[] = {
    {u"alias-duplicate", aliasDuplicate},
    {u"alias-shadowed", aliasShadowed},
    {u"set-params-by-id-conflict", setParamsByIdConflict},
};

} // namespace

std::span<const ConfigRule> modelNameRules()
{
    return kRules;
}

} // namespace boo
