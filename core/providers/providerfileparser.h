#pragma once

#include "core/providers/providerconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace boo {

// A reason a provider (or the whole file) was not loaded; names the file, provider and field.
struct ProviderFileProblem
{
    QString file;
    QString provider; // id, or "#N" (1-based position) when the entry has no usable id
    QString field;    // empty for problems with the whole file or entry
    QString message;

    QString toString() const;
    friend bool operator==(const ProviderFileProblem &, const ProviderFileProblem &) = default;
};

struct ProviderFile
{
    QList<ProviderConfig> providers;     // the entries that are valid
    QList<ProviderFileProblem> problems; // the entries that are not, and why
    bool unreadable = false;             // the file as a whole could not be used
};

// Reads llama-providers.json:
//   {"providers": [{"id", "name", "kind", "baseUrl", "enabled", "apiKey"?, "tags"?}]}
// A bad entry is reported and skipped; the valid entries of the same file still load.
class ProviderFileParser final
{
public:
    static ProviderFile parse(const QByteArray &json, const QString &fileName);
    static ProviderFile read(const QString &path);
};

} // namespace boo
