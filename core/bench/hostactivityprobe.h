#pragma once

#include "core/common/result.h"
#include "core/http/hostendpoint.h"
#include "core/protocol/activityentry.h"

#include <QList>
#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace boo {

// Asks a llama-swap host which requests it finished, to count the ones that were not the bench's
// (foreign traffic: live users, other tools). The host's activity rows are the one account every
// request leaves whoever sent it; ids only grow while the host runs, so "rows after the id seen
// before the cell" are exactly the cell's. Needs v236+ (`/api/metrics/activity`); older hosts
// answer 404 and the count is unknown.
class HostActivityProbe final : public QObject
{
    Q_OBJECT

public:
    HostActivityProbe(HostEndpoint endpoint, QNetworkAccessManager *nam, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HostActivityProbe)

    // The newest row id now (-1 with no rows).
    void latestId(std::function<void(Result<qint64>)> done);
    // The rows with an id above `afterId`, newest first (at most 999, llama-swap's largest page).
    void rowsAfter(qint64 afterId, std::function<void(Result<QList<ActivityEntry>>)> done);

private:
    HostEndpoint m_endpoint;
    QNetworkAccessManager *m_nam;
};

} // namespace boo
