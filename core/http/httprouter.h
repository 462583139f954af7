#pragma once

#include "core/http/httprequest.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace boo {

class HttpResponder;

// Route table with patterns in the style of Go 1.22's ServeMux, which llama-swap uses:
//   /api/version              exact path
//   /api/captures/{id}        one segment, available as pathParam("id")
//   /logs/stream/{id...}      the rest of the path (may be empty, may contain '/')
//   /ui/                      trailing slash: prefix match of everything below
//   /ui/{$}                   exactly "/ui/"
// When several patterns match, the most specific wins: segment by segment a literal beats
// `{name}`, which beats `{name...}` and prefix matches; then a method-specific route beats an
// any-method route. GET routes also answer HEAD.
class HttpRouter final
{
public:
    using Handler = std::function<void(const HttpRequest &, HttpResponder)>;

    struct Route
    {
        QByteArray method; // empty: any method
        QString pattern;
        Handler handler;
        qint64 maxBodyBytes = -1; // -1: the server default
    };

    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        // Set when the path matched some route but the method did not: answer 405 with these.
        QByteArrayList allowedMethods;
    };

    HttpRouter();
    ~HttpRouter();
    HttpRouter(HttpRouter &&) noexcept;
    HttpRouter &operator=(HttpRouter &&) noexcept;

    // False (with *error set) for an invalid pattern; a later route with the same method and
    // pattern replaces the earlier one.
    bool add(QByteArray method, const QString &pattern, Handler handler, qint64 maxBodyBytes = -1, QString *error = nullptr);
    Match match(QByteArrayView method, QByteArrayView rawPath) const;

private:
    struct CompiledRoute;
    std::vector<std::unique_ptr<CompiledRoute>> m_routes;
};

} // namespace boo
