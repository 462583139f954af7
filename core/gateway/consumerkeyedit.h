#pragma once

#include "core/common/result.h"
#include "core/gateway/consumerkey.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace boo {

// A change of a key's settings (PATCH /api/keys/{name}, `boocontrol keys set`). Every field is
// optional: absent leaves the setting as it is. A limit or the expiry can be set to a value or
// cleared (no limit, never expires), hence the two levels of optional. The name, source and
// secret are not settings: a different source is a different consumer (create a key), a new
// secret is a rotation.
struct ConsumerKeyEdit
{
    using Limit = std::optional<std::optional<qint64>>;

    Limit rpm;
    Limit tpm;
    Limit tokensPerDay;
    Limit expiresAtMs;
    std::optional<QStringList> models; // an empty list: any model
    std::optional<bool> allowSubSource;
    std::optional<bool> disabled;

    bool isEmpty() const;
    // The key as it would be after the edit, checked like a new key's settings.
    Result<ConsumerKey> appliedTo(ConsumerKey key) const;
    // The body of PATCH, strictly: unknown fields, wrong types and an empty edit are refused;
    // `null` clears a limit or the expiry.
    static Result<ConsumerKeyEdit> fromJson(const QJsonObject &object);
    QJsonObject toJson() const;
};

} // namespace boo
