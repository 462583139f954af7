#pragma once

#include "core/common/result.h"

#include <QHostAddress>

namespace boo {

// `--listen ADDR:PORT` (IPv6 as [::1]:9503).
struct ListenAddress
{
    QHostAddress address{QHostAddress::LocalHost};
    quint16 port = 9503;

    static Result<ListenAddress> parse(const QString &text);
    bool isLoopback() const { return address.isLoopback(); }
    QString toString() const;
};

} // namespace boo
