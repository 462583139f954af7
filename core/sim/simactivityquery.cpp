#include "core/sim/simactivityquery.h"

#include "core/http/httprequest.h"
#include "core/sim/gotime.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Error invalid(const QString &message)
{
    return makeError(u"sim.activity.query"_s, message);
}

// Go's strconv.Atoi: optional sign, decimal digits only.
std::optional<qint64> atoi(const QString &text)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok, 10);
    if (!ok || text.trimmed() != text || text.startsWith(u'+'))
        return std::nullopt;
    return v;
}

} // namespace

bool SimActivityQuery::isSortColumn(QStringView column)
{
    static const QStringList columns
        = {u"id"_s,     u"time"_s,      u"model"_s,   u"req_path"_s,     u"resp_status_code"_s, u"resp_content_type"_s, u"cached"_s,
           u"prompt"_s, u"generated"_s, u"drafted"_s, u"prompt_speed"_s, u"gen_speed"_s,        u"duration"_s};
    return columns.contains(column);
}

Result<SimActivityQuery> SimActivityQuery::parse(const HttpRequest &request, SimCompat compat)
{
    SimActivityQuery q;
    const QString limit = request.queryValue(u"limit");
    if (!limit.isEmpty()) {
        const auto v = atoi(limit);
        if (!v)
            return invalid(u"invalid limit"_s);
        if (*v < 1 || *v > 999)
            return invalid(u"limit must be between 1 and 999"_s);
        q.limit = int(*v);
    }
    const QString page = request.queryValue(u"page");
    if (!page.isEmpty()) {
        const auto v = atoi(page);
        if (!v || *v < 1)
            return invalid(u"page must be >= 1"_s);
        q.page = int(qMin<qint64>(*v, 1 << 30));
    }
    const QString sort = request.queryValue(u"sort");
    if (!sort.isEmpty()) {
        if (!isSortColumn(sort))
            return invalid(u"invalid sort column"_s);
        q.sort = sort;
    }
    const QString order = request.queryValue(u"order").toLower();
    if (!order.isEmpty()) {
        if (order != u"asc" && order != u"desc")
            return invalid(u"order must be asc or desc"_s);
        q.ascending = order == u"asc";
    }

    if (compat == SimCompat::V250 || compat == SimCompat::V235) {
        const QString model = request.queryValue(u"model");
        if (!model.isEmpty())
            q.models = {model};
        return q;
    }

    for (const QString &m : request.queryValues(u"model")) {
        if (!m.isEmpty() && !q.models.contains(m))
            q.models.append(m);
    }
    for (const auto &[name, field] : {std::pair{u"start"_s, &q.startSec}, std::pair{u"end"_s, &q.endSec}}) {
        const QString text = request.queryValue(name);
        if (text.isEmpty())
            continue;
        const auto ns = GoTime::parseRfc3339(text);
        if (!ns)
            return invalid(u"invalid '%1' timestamp, use RFC3339 format"_s.arg(name));
        *field = *ns >= 0 ? *ns / 1000000000 : -((-*ns + 999999999) / 1000000000);
    }
    if (q.startSec && q.endSec && *q.startSec > *q.endSec)
        return invalid(u"start must be before end"_s);
    for (const auto &[name, field] : {std::pair{u"min_id"_s, &q.minId}, std::pair{u"max_id"_s, &q.maxId}}) {
        const QString text = request.queryValue(name);
        if (text.isEmpty())
            continue;
        const auto v = atoi(text);
        if (!v || *v < 1)
            return invalid(u"%1 must be >= 1"_s.arg(name));
        *field = *v;
    }
    if (q.minId && q.maxId && *q.minId > *q.maxId)
        return invalid(u"min_id must be <= max_id"_s);
    return q;
}

} // namespace boo
