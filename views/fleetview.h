#pragma once

#include "core/actions/hostaction.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QScrollArea;

namespace boo {

class FleetFilterProxy;
class FleetModel;
class FleetSummaryStrip;
class FlowLayout;
class HostCard;

// The Fleet tab: the fleet's totals on top (FleetSummaryStrip, whose tiles pick which cards
// show), a card per host (HostCard) for the hosts the filter lets through, reflowing with the
// window width, and what to do when there are none.
class FleetView final : public QWidget
{
    Q_OBJECT

public:
    explicit FleetView(FleetModel *model, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetView)

    FleetFilterProxy *proxy() const { return m_proxy; }
    QLineEdit *filterField() const { return m_filter; }
    FleetSummaryStrip *summaryStrip() const { return m_strip; }
    QList<HostCard *> cards() const;
    void focusFilter();

Q_SIGNALS:
    void actionRequested(const boo::HostAction &action);
    void gapAcknowledged(const QString &hostId);

private:
    void syncCards();
    void updateCards(int first, int last);
    void updateSummary();

    FleetModel *m_model;
    FleetFilterProxy *m_proxy;
    FleetSummaryStrip *m_strip;
    QLineEdit *m_filter;
    QCheckBox *m_problemsOnly;
    QLabel *m_summary;
    QScrollArea *m_scroll;
    QWidget *m_canvas;
    FlowLayout *m_flow;
    QLabel *m_empty;
    QHash<QString, HostCard *> m_cards;
    QTimer m_tick;
};

} // namespace boo
