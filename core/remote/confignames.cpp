#include "core/remote/confignames.h"

using namespace Qt::StringLiterals;

namespace boo {

ConfigNames::ConfigNames(const ConfigNode &root)
{
    m_models = root.child(u"models");
    if (m_models && m_models->isMap()) {
        m_modelIds = m_models->keys();
        for (const auto &[id, model] : m_models->entries) {
            if (const ConfigNode *aliases = model.child(u"aliases")) {
                for (const QString &alias : aliases->strings())
                    m_aliases.insert(alias, m_aliases.value(alias, id));
            }
        }
        // setParamsByID keys become aliases after the explicit ones.
        for (const auto &[id, model] : m_models->entries) {
            const ConfigNode *byId = model.find({u"filters"_s, u"setParamsByID"_s});
            if (!byId || !byId->isMap())
                continue;
            for (const QString &key : byId->keys()) {
                if (key != id && !m_modelIds.contains(key) && !m_aliases.contains(key))
                    m_aliases.insert(key, id);
            }
        }
    }
    if (const ConfigNode *selectors = root.child(u"selectors"); selectors && selectors->isMap())
        m_selectors = selectors->keys();
    if (const ConfigNode *peers = root.child(u"peers"); peers && peers->isMap()) {
        for (const auto &[peer, config] : peers->entries) {
            const ConfigNode *models = config.child(u"models");
            if (!models)
                continue;
            for (const QString &model : models->strings()) {
                QStringList &owners = m_peerQualified[peer + u'/' + model];
                if (!owners.contains(peer))
                    owners << peer;
                QStringList &bare = m_peerBare[model];
                if (!bare.contains(peer))
                    bare << peer;
            }
        }
    }

    const ConfigNode *legacyGroups = root.child(u"groups");
    const ConfigNode *legacyMatrix = root.child(u"matrix");
    const ConfigNode *router = root.find({u"routing"_s, u"router"_s});
    if (legacyGroups || legacyMatrix) {
        m_groups = legacyGroups;
        m_matrix = legacyMatrix;
    } else if (router) {
        const ConfigNode *use = router->child(u"use");
        if (use && use->text() == u"matrix"_s)
            m_matrix = router->find({u"settings"_s, u"matrix"_s});
        else
            m_groups = router->find({u"settings"_s, u"groups"_s});
    }
    if (m_groups && !m_groups->isMap())
        m_groups = nullptr;
    if (m_matrix && !m_matrix->isMap())
        m_matrix = nullptr;
}

std::optional<QString> ConfigNames::aliasOwner(const QString &alias) const
{
    const auto it = m_aliases.constFind(alias);
    return it == m_aliases.cend() ? std::nullopt : std::optional<QString>(*it);
}

std::optional<QString> ConfigNames::localModel(const QString &name) const
{
    if (m_modelIds.contains(name))
        return name;
    return aliasOwner(name);
}

std::optional<QString> ConfigNames::peerModel(const QString &name) const
{
    if (const auto it = m_peerQualified.constFind(name); it != m_peerQualified.cend() && it->size() == 1)
        return name;
    if (const auto it = m_peerBare.constFind(name); it != m_peerBare.cend() && it->size() == 1)
        return it->constFirst() + u'/' + name;
    return std::nullopt;
}

} // namespace boo
