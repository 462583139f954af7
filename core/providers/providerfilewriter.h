#pragma once

#include "core/common/result.h"
#include "core/providers/providerconfig.h"

#include <QByteArray>
#include <QList>

namespace boo {

// Writes llama-providers.json (the settings dialog edits providers through it). The write is
// atomic (QSaveFile): a watcher never sees half a file. Keys other than "providers" that the
// file already had are kept. API keys are written as references only (env:/keychain:); there is
// no way to put a secret into this file.
class ProviderFileWriter final
{
public:
    static QByteArray toJson(const QList<ProviderConfig> &providers, const QByteArray &existing = {});
    static Result<void> write(const QString &path, const QList<ProviderConfig> &providers);
};

} // namespace boo
