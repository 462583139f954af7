#pragma once

#include "core/remote/confignode.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace boo {

// The names a llama-swap config defines, after macro expansion, and how the loader resolves a
// name: a model id, then an alias (explicit, or a filters.setParamsByID key), then a peer's
// model (`peer/model`, or a bare model name exactly one peer provides). Rules ask this instead
// of each walking the document again.
class ConfigNames final
{
public:
    explicit ConfigNames(const ConfigNode &root);

    const QStringList &modelIds() const { return m_modelIds; }
    bool isModel(const QString &name) const { return m_modelIds.contains(name); }
    // The model an alias belongs to (the first model that claims it).
    std::optional<QString> aliasOwner(const QString &alias) const;
    // A model id or alias → the model id.
    std::optional<QString> localModel(const QString &name) const;
    // `peer/model` or an unambiguous bare peer model → "peer/model".
    std::optional<QString> peerModel(const QString &name) const;
    bool resolvesToModel(const QString &name) const { return localModel(name) || peerModel(name); }
    bool isSelector(const QString &name) const { return m_selectors.contains(name); }
    // Every `peer/model` name, with the peers that define it.
    const QHash<QString, QStringList> &peerQualifiedNames() const { return m_peerQualified; }

    // The models section, the group router's groups (legacy `groups` or routing.router.settings)
    // and the selected router, as the loader normalises them.
    const ConfigNode *models() const { return m_models; }
    const ConfigNode *groups() const { return m_groups; }
    const ConfigNode *matrix() const { return m_matrix; }

private:
    QStringList m_modelIds;
    QHash<QString, QString> m_aliases;
    QStringList m_selectors;
    QHash<QString, QStringList> m_peerQualified;
    QHash<QString, QStringList> m_peerBare;
    const ConfigNode *m_models = nullptr;
    const ConfigNode *m_groups = nullptr;
    const ConfigNode *m_matrix = nullptr;
};

} // namespace boo
