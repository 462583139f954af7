#pragma once

#include "core/providers/providerfileparser.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <optional>

namespace boo {

// What one reload changed, by provider id.
struct RegistryChange
{
    QList<ProviderConfig> added;
    QList<ProviderConfig> removed;
    QList<ProviderConfig> changed; // the new configuration of providers whose entry changed

    bool isEmpty() const { return added.isEmpty() && removed.isEmpty() && changed.isEmpty(); }
};

// The configured providers, kept in step with llama-providers.json.
//
// The file is watched (and its directory, because editors save by replacing the file); a change
// is read after a short quiet period and announced as added / removed / changed providers.
// When the file cannot be used at all (bad JSON, deleted), the last good set stays in force and
// the problem is reported, so a typo never takes the whole fleet offline.
class ProviderRegistry final : public QObject
{
    Q_OBJECT

public:
    explicit ProviderRegistry(QString path, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProviderRegistry)

    // $XDG_CONFIG_HOME/boocontrol/llama-providers.json (per platform via QStandardPaths).
    static QString defaultPath();

    const QString &path() const { return m_path; }
    const QList<ProviderConfig> &providers() const { return m_providers; }
    std::optional<ProviderConfig> provider(const QString &id) const;
    const QList<ProviderFileProblem> &problems() const { return m_problems; }

    // Reads the file now and applies it; returns what changed.
    RegistryChange reload();
    // Uses these providers instead of a file (the simulated fleet of --demo); no file is read.
    RegistryChange replaceProviders(const QList<ProviderConfig> &providers);
    void startWatching();

Q_SIGNALS:
    void providersChanged(const boo::RegistryChange &change);
    void problemsChanged(const QList<boo::ProviderFileProblem> &problems);

private:
    void rewatch();

    QString m_path;
    QList<ProviderConfig> m_providers;
    QList<ProviderFileProblem> m_problems;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
};

RegistryChange diffProviders(const QList<ProviderConfig> &before, const QList<ProviderConfig> &after);

} // namespace boo

Q_DECLARE_METATYPE(boo::RegistryChange)
