#include "core/http/httprouter.h"

#include "core/http/httpresponder.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

enum class SegmentKind { Literal = 3, Param = 2, Rest = 1 };

struct Segment
{
    SegmentKind kind;
    QString text; // literal text or parameter name (empty for an anonymous prefix)
};

QList<QByteArrayView> splitPath(QByteArrayView rawPath)
{
    QList<QByteArrayView> out;
    QByteArrayView rest = rawPath.sliced(1); // skip the leading '/'
    for (;;) {
        const qsizetype slash = rest.indexOf('/');
        if (slash < 0) {
            out.append(rest);
            return out;
        }
        out.append(rest.first(slash));
        rest = rest.sliced(slash + 1);
    }
}

} // namespace

struct HttpRouter::CompiledRoute
{
    Route route;
    QList<Segment> segments;
    bool exactTrailingSlash = false; // pattern ended in "/{$}"

    // Returns true and fills params when `parts` (raw, still encoded) match.
    bool matches(const QList<QByteArrayView> &parts, QByteArrayView rawPath, QHash<QString, QString> *params) const
    {
        QHash<QString, QString> found;
        for (qsizetype i = 0; i < segments.size(); ++i) {
            const Segment &seg = segments.at(i);
            if (seg.kind == SegmentKind::Rest) {
                if (i >= parts.size())
                    return false;
                if (!seg.text.isEmpty()) {
                    // The remainder starts at the i-th segment of the raw path.
                    qsizetype offset = 1;
                    for (qsizetype k = 0; k < i; ++k)
                        offset += parts.at(k).size() + 1;
                    const auto decoded = HttpRequest::percentDecode(rawPath.sliced(offset), false);
                    if (!decoded)
                        return false;
                    found.insert(seg.text, QString::fromUtf8(*decoded));
                }
                *params = std::move(found);
                return true;
            }
            if (i >= parts.size())
                return false;
            const auto decoded = HttpRequest::percentDecode(parts.at(i), false);
            if (!decoded)
                return false;
            const QString value = QString::fromUtf8(*decoded);
            if (seg.kind == SegmentKind::Literal) {
                if (value != seg.text)
                    return false;
            } else {
                if (value.isEmpty())
                    return false;
                found.insert(seg.text, value);
            }
        }
        if (exactTrailingSlash) {
            if (parts.size() != segments.size() + 1 || !parts.last().isEmpty())
                return false;
        } else if (parts.size() != segments.size()) {
            return false;
        }
        *params = std::move(found);
        return true;
    }

    // Segment kinds for ranking; "/a/{$}" ranks as if the final empty segment were a literal.
    QList<int> rankKey() const
    {
        QList<int> key;
        key.reserve(segments.size() + 1);
        for (const Segment &s : segments)
            key.append(int(s.kind));
        if (exactTrailingSlash)
            key.append(int(SegmentKind::Literal));
        return key;
    }

    // Lexicographic specificity: higher wins, then longer, then method-specific.
    bool moreSpecificThan(const CompiledRoute &other) const
    {
        const QList<int> a = rankKey();
        const QList<int> b = other.rankKey();
        const qsizetype n = qMin(a.size(), b.size());
        for (qsizetype i = 0; i < n; ++i) {
            if (a.at(i) != b.at(i))
                return a.at(i) > b.at(i);
        }
        if (a.size() != b.size())
            return a.size() > b.size();
        return !route.method.isEmpty() && other.route.method.isEmpty();
    }
};

HttpRouter::HttpRouter() = default;
HttpRouter::~HttpRouter() = default;
HttpRouter::HttpRouter(HttpRouter &&) noexcept = default;
HttpRouter &HttpRouter::operator=(HttpRouter &&) noexcept = default;

bool HttpRouter::add(QByteArray method, const QString &pattern, Handler handler, qint64 maxBodyBytes, QString *error)
{
    const auto bad = [&](const QString &why) {
        if (error)
            *error = u"invalid route pattern \"%1\": %2"_s.arg(pattern, why);
        return false;
    };
    if (!pattern.startsWith(u'/'))
        return bad(u"must start with '/'"_s);

    auto compiled = std::make_unique<CompiledRoute>();
    QString body = pattern;
    if (body.endsWith(u"/{$}"_s)) {
        compiled->exactTrailingSlash = true;
        body.chop(3); // keep the '/' before "{$}"
    }
    const QStringList parts = body.mid(1).split(u'/');
    QSet<QString> names;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        const bool last = i == parts.size() - 1;
        if (last && part.isEmpty()) {
            // Trailing slash: a prefix match of everything below, unless "{$}" made it exact.
            if (!compiled->exactTrailingSlash)
                compiled->segments.append({SegmentKind::Rest, QString()});
        } else if (part.startsWith(u'{') && part.endsWith(u'}')) {
            QString name = part.mid(1, part.size() - 2);
            const bool rest = name.endsWith(u"..."_s);
            if (rest) {
                if (!last)
                    return bad(u"{name...} must be the last segment"_s);
                name.chop(3);
            }
            if (name.isEmpty() || name.contains(u'{') || name.contains(u'$') || names.contains(name))
                return bad(u"empty, invalid or repeated parameter name"_s);
            names.insert(name);
            compiled->segments.append({rest ? SegmentKind::Rest : SegmentKind::Param, name});
        } else if (part.contains(u'{') || part.contains(u'}')) {
            return bad(u"a parameter must be a whole segment"_s);
        } else {
            compiled->segments.append({SegmentKind::Literal, part});
        }
    }

    compiled->route = Route{std::move(method), pattern, std::move(handler), maxBodyBytes};
    for (auto &existing : m_routes) {
        if (existing->route.method == compiled->route.method && existing->route.pattern == pattern) {
            existing = std::move(compiled);
            return true;
        }
    }
    m_routes.push_back(std::move(compiled));
    return true;
}

HttpRouter::Match HttpRouter::match(QByteArrayView method, QByteArrayView rawPath) const
{
    Match result;
    if (!rawPath.startsWith('/'))
        return result;
    const QList<QByteArrayView> parts = splitPath(rawPath);
    const CompiledRoute *best = nullptr;
    QHash<QString, QString> bestParams;
    QByteArrayList allowed;
    bool pathMatched = false;

    for (const auto &candidate : m_routes) {
        QHash<QString, QString> params;
        if (!candidate->matches(parts, rawPath, &params))
            continue;
        pathMatched = true;
        const QByteArray &routeMethod = candidate->route.method;
        const bool methodOk = routeMethod.isEmpty() || routeMethod == method || (method == "HEAD" && routeMethod == "GET");
        if (!methodOk) {
            if (!allowed.contains(routeMethod))
                allowed.append(routeMethod);
            if (routeMethod == "GET" && !allowed.contains("HEAD"))
                allowed.append("HEAD"_ba);
            continue;
        }
        if (!best || candidate->moreSpecificThan(*best)) {
            best = candidate.get();
            bestParams = std::move(params);
        }
    }
    if (best) {
        result.route = &best->route;
        result.params = std::move(bestParams);
    } else if (pathMatched) {
        std::sort(allowed.begin(), allowed.end());
        result.allowedMethods = std::move(allowed);
    }
    return result;
}

} // namespace boo
