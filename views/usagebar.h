#pragma once

#include <QWidget>

namespace boo {

// A horizontal bar with its text inside: VRAM used of total on a fleet card.
class UsageBar final : public QWidget
{
    Q_OBJECT

public:
    explicit UsageBar(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsageBar)

    void setUsage(double used, double total, const QString &text);
    double fraction() const { return m_total > 0 ? m_used / m_total : 0; }
    QString text() const { return m_text; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_used = 0;
    double m_total = 0;
    QString m_text;
};

} // namespace boo
