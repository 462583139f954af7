#include "core/providers/providerregistry.h"

#include "core/common/logging.h"

#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace boo {

namespace {
constexpr int kQuietPeriodMs = 250;
}

RegistryChange diffProviders(const QList<ProviderConfig> &before, const QList<ProviderConfig> &after)
{
    RegistryChange change;
    auto find = [](const QList<ProviderConfig> &list, const QString &id) -> const ProviderConfig * {
        for (const ProviderConfig &p : list) {
            if (p.id == id)
                return &p;
        }
        return nullptr;
    };
    for (const ProviderConfig &p : after) {
        const ProviderConfig *old = find(before, p.id);
        if (!old)
            change.added << p;
        else if (!(*old == p))
            change.changed << p;
    }
    for (const ProviderConfig &p : before) {
        if (!find(after, p.id))
            change.removed << p;
    }
    return change;
}

ProviderRegistry::ProviderRegistry(QString path, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kQuietPeriodMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        rewatch();
        reload();
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, &m_debounce, qOverload<>(&QTimer::start));
}

QString ProviderRegistry::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/llama-providers.json"_s;
}

std::optional<ProviderConfig> ProviderRegistry::provider(const QString &id) const
{
    for (const ProviderConfig &p : m_providers) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

RegistryChange ProviderRegistry::reload()
{
    ProviderFile file;
    if (!QFileInfo::exists(m_path)) {
        file.unreadable = true;
        file.problems << ProviderFileProblem{m_path,
                                             {},
                                             {},
                                             u"does not exist; create it (resources/llama-providers.example.json "
                                             u"shows the format) or point --providers at your file"_s};
    } else {
        file = ProviderFileParser::read(m_path);
    }

    if (file.problems != m_problems) {
        m_problems = file.problems;
        for (const ProviderFileProblem &problem : std::as_const(m_problems))
            qCWarning(lcFleet).noquote() << problem.toString();
        Q_EMIT problemsChanged(m_problems);
    }
    if (file.unreadable)
        return {}; // keep the last good providers

    RegistryChange change = diffProviders(m_providers, file.providers);
    m_providers = file.providers;
    if (!change.isEmpty())
        Q_EMIT providersChanged(change);
    return change;
}

RegistryChange ProviderRegistry::replaceProviders(const QList<ProviderConfig> &providers)
{
    RegistryChange change = diffProviders(m_providers, providers);
    m_providers = providers;
    if (!change.isEmpty())
        Q_EMIT providersChanged(change);
    return change;
}

void ProviderRegistry::startWatching()
{
    rewatch();
}

void ProviderRegistry::rewatch()
{
    // Replacing a file drops its watch; re-adding is harmless when it is still watched.
    const QString dir = QFileInfo(m_path).absolutePath();
    if (QFileInfo::exists(dir) && !m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
    if (QFileInfo::exists(m_path) && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
}

} // namespace boo
