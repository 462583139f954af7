#pragma once

#include "core/actions/actionjob.h"
#include "core/fleet/hoststate.h"

#include <QColor>
#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;
class QToolButton;
class QVBoxLayout;

namespace boo {

class Sparkline;
class StateChip;
class UsageBar;

// One host on the Fleet tab: name, liveness (greyed with "last seen" when down), gap badge
// with a button to acknowledge it, llama-swap version; each model with its state and TTL countdown and its actions; each GPU
// with VRAM, temperature, power and utilisation; in-flight count, a requests-per-minute
// sparkline, and the progress and results of the actions queued for the host.
class HostCard final : public QFrame
{
    Q_OBJECT

public:
    static constexpr int kWidth = 390;
    static constexpr qint64 kResultShownMs = 120'000;

    explicit HostCard(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HostCard)

    void setHost(const HostState &host, const QList<ActionJob> &jobs, qint64 nowMs);
    // Clock-driven text only (TTL countdowns, "last seen", running times).
    void tick(qint64 nowMs);
    const HostState &host() const { return m_host; }
    QString jobText() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void actionRequested(const boo::HostAction &action);
    // The operator has seen this host's suspected gap.
    void gapAcknowledged(const QString &hostId);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct ModelRow
    {
        StateChip *chip = nullptr;
        QLabel *name = nullptr;
        QLabel *detail = nullptr;
        QToolButton *actions = nullptr;
    };
    struct GpuRow
    {
        QLabel *title = nullptr;
        UsageBar *vram = nullptr;
        QLabel *stats = nullptr;
    };

    void rebuildModels();
    void rebuildGpus();
    void refresh();
    void refreshHeaderMenu();
    void request(HostAction::Kind kind, const QString &model = {}, const QString &requestId = {});
    QString modelDetail(const HostedModel &model) const;
    QList<HostedModel> shownModels() const;

    HostState m_host;
    QList<ActionJob> m_jobs;
    qint64 m_now = 0;

    QLabel *m_name;
    StateChip *m_gap;
    QToolButton *m_acknowledgeGap;
    StateChip *m_liveness;
    QToolButton *m_menuButton;
    QLabel *m_subtitle;
    QLabel *m_status;
    QWidget *m_body;
    QGridLayout *m_modelGrid;
    QGridLayout *m_gpuGrid;
    QLabel *m_noModels;
    QLabel *m_inflight;
    Sparkline *m_sparkline;
    QLabel *m_rate;
    QLabel *m_job;
    QStringList m_modelIds;
    QList<int> m_gpuIds;
    QHash<QString, ModelRow> m_modelRows;
    QList<GpuRow> m_gpuRows;
    QColor m_mutedApplied;
};

} // namespace boo
