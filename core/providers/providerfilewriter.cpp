#include "core/providers/providerfilewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace boo {

QByteArray ProviderFileWriter::toJson(const QList<ProviderConfig> &providers, const QByteArray &existing)
{
    QJsonObject root = QJsonDocument::fromJson(existing).object();
    QJsonArray list;
    for (const ProviderConfig &p : providers) {
        QJsonObject o{{u"id"_s, p.id},
                      {u"name"_s, p.name.isEmpty() ? p.id : p.name},
                      {u"kind"_s, providerKindName(p.kind)},
                      {u"baseUrl"_s, p.baseUrl.toString()},
                      {u"enabled"_s, p.enabled}};
        if (p.apiKey)
            o.insert(u"apiKey"_s, p.apiKey->toString());
        if (!p.tags.isEmpty())
            o.insert(u"tags"_s, QJsonArray::fromStringList(p.tags));
        if (p.ssh) {
            QJsonObject ssh{{u"target"_s, p.ssh->target},           {u"configPath"_s, p.ssh->configPath},
                            {u"reload"_s, p.ssh->reload},           {u"process"_s, p.ssh->processName},
                            {u"keepBackups"_s, p.ssh->keepBackups}, {u"healthTimeoutSeconds"_s, p.ssh->healthTimeoutSeconds}};
            if (!p.ssh->identityFile.isEmpty())
                ssh.insert(u"identityFile"_s, p.ssh->identityFile);
            o.insert(u"ssh"_s, ssh);
        }
        list.append(o);
    }
    root.insert(u"providers"_s, list);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<void> ProviderFileWriter::write(const QString &path, const QList<ProviderConfig> &providers)
{
    QByteArray existing;
    if (QFile current(path); current.open(QIODevice::ReadOnly))
        existing = current.readAll();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(u"providers.write"_s, u"cannot create the directory of %1"_s.arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"providers.write"_s, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    file.write(toJson(providers, existing));
    if (!file.commit())
        return makeError(u"providers.write"_s, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

} // namespace boo
