#include "core/protocol/activitypage.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<ActivityPage> ActivityPage::fromJson(const QByteArray &body)
{
    const QString what = u"/api/metrics/activity"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    ActivityPage page;
    const QJsonArray rows = f.array(u"data"_s, JsonFields::Required);
    page.page = f.integer(u"page"_s);
    page.limit = f.integer(u"limit"_s);
    page.total = f.integer(u"total"_s);
    page.totalPages = f.integer(u"total_pages"_s);
    if (f.failed())
        return f.error();
    auto entries = ActivityEntry::listFromJsonArray(rows, u"activity"_s);
    if (!entries)
        return entries.error();
    page.data = std::move(*entries);
    return page;
}

} // namespace boo
