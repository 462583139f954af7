#include "views/fleetview.h"

#include "core/fleet/hoststate.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetmodel.h"
#include "views/flowlayout.h"
#include "views/hostcard.h"

#include <QCheckBox>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

FleetView::FleetView(FleetModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new FleetFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_problemsOnly(new QCheckBox(tr("Only hosts that need attention"), this))
    , m_summary(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_canvas(new QWidget)
    , m_flow(new FlowLayout(m_canvas))
    , m_empty(new QLabel(m_canvas))
{
    m_proxy->setSourceModel(model);
    m_filter->setPlaceholderText(tr("Filter hosts and models (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setObjectName(u"fleetFilter"_s);
    m_problemsOnly->setObjectName(u"problemsOnly"_s);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &FleetFilterProxy::setText);
    connect(m_problemsOnly, &QCheckBox::toggled, m_proxy, &FleetFilterProxy::setProblemsOnly);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_problemsOnly);
    bar->addStretch(0);
    bar->addWidget(m_summary);

    m_flow->setContentsMargins(12, 12, 12, 12);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMinimumWidth(420);
    m_empty->setObjectName(u"fleetEmpty"_s);
    m_flow->addWidget(m_empty);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);

    connect(m_proxy, &QAbstractItemModel::modelReset, this, &FleetView::syncCards);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &FleetView::syncCards);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &FleetView::syncCards);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &FleetView::syncCards);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) { updateCards(from.row(), to.row()); });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (HostCard *card : std::as_const(m_cards))
            card->tick(now);
    });
    m_tick.start();
    syncCards();
}

QList<HostCard *> FleetView::cards() const
{
    QList<HostCard *> ordered;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (HostCard *card = m_cards.value(m_proxy->index(row, 0).data(FleetModel::HostIdRole).toString()))
            ordered << card;
    }
    return ordered;
}

void FleetView::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void FleetView::syncCards()
{
    QStringList ids;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        ids << m_proxy->index(row, 0).data(FleetModel::HostIdRole).toString();
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        if (ids.contains(it.key())) {
            ++it;
            continue;
        }
        m_flow->removeWidget(it.value());
        it.value()->deleteLater();
        it = m_cards.erase(it);
    }
    // Cards keep the proxy's order: take them all out and put them back in order.
    for (HostCard *card : std::as_const(m_cards))
        m_flow->removeWidget(card);
    for (int i = 0; i < ids.size(); ++i) {
        HostCard *card = m_cards.value(ids.at(i));
        if (!card) {
            card = new HostCard(m_canvas);
            connect(card, &HostCard::actionRequested, this, &FleetView::actionRequested);
            connect(card, &HostCard::gapAcknowledged, this, &FleetView::gapAcknowledged);
            m_cards.insert(ids.at(i), card);
        }
        m_flow->insertWidget(i, card);
        card->show();
    }
    updateCards(0, int(ids.size()) - 1);
}

void FleetView::updateCards(int first, int last)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = first; row <= last && row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        HostCard *card = m_cards.value(index.data(FleetModel::HostIdRole).toString());
        if (card)
            card->setHost(index.data(FleetModel::HostStateRole).value<HostState>(),
                          index.data(FleetModel::JobsRole).value<QList<ActionJob>>(), now);
    }
    updateSummary();
}

void FleetView::updateSummary()
{
    const int total = m_model->rowCount();
    int up = 0;
    for (int row = 0; row < total; ++row)
        up += m_model->index(row).data(FleetModel::LivenessRole).toInt() == int(Liveness::Connected);
    m_summary->setText(tr("%1 of %n hosts connected", nullptr, total).arg(up));
    if (total == 0) {
        // "\u201c" ends its literal: lupdate would read "\u201cb" as one code point.
        m_empty->setText(tr("No hosts yet.\n\nAdd a llama-swap host under Settings \u2192 Providers (or in llama-providers.json), "
                            "or start \u201c"
                            "boocontrol --demo\u201d to look around a simulated fleet."));
    } else {
        m_empty->setText(tr("No host matches the filter."));
    }
    m_empty->setVisible(m_cards.isEmpty());
}

} // namespace boo
