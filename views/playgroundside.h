#pragma once

#include "core/client/chatrequest.h"
#include "core/client/chatstream.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;

namespace boo {

class CockpitBackend;
class ModelPickerModel;

// One side of the Playground: a model picked from the grouped picker, its own copy of the
// conversation (the prompts are shared, the answers are this target's), the answer streaming
// in, and its live numbers: TTFT, tokens/s and the host's own timings when it sends them.
class PlaygroundSide final : public QWidget
{
    Q_OBJECT

public:
    PlaygroundSide(const QString &title, CockpitBackend *backend, ModelPickerModel *picker, QNetworkAccessManager *nam,
                   QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PlaygroundSide)

    // The picked model ("provider", "model"); empty while nothing is picked.
    QString provider() const { return m_provider; }
    QString model() const { return m_model; }
    void pick(const QString &provider, const QString &model);

    // Sends the conversation so far plus `prompt` with `parameters` (their messages are ignored).
    // False (and a message on this side) when no model is picked or the backend cannot reach it.
    bool send(const QString &prompt, const ChatRequest &parameters);
    void stop();
    void clearConversation();
    bool isStreaming() const { return m_stream->isRunning(); }

    // The request the next send() would make, for "copy as curl".
    ChatRequest requestFor(const QString &prompt, const ChatRequest &parameters) const;
    Result<ChatTarget> target() const;

    QString transcript() const;
    QString statsText() const;
    const ChatStats &stats() const { return m_stream->stats(); }

Q_SIGNALS:
    void streamingChanged(bool streaming);

private:
    void onPickerIndex(int row);
    void restorePick();
    void appendText(const QString &text);
    void showStats(const ChatStats &stats);

    CockpitBackend *m_backend;
    ModelPickerModel *m_picker;
    ChatStream *m_stream;
    void showTitle();

    QString m_title;
    QLabel *m_heading;
    QComboBox *m_combo;
    QPlainTextEdit *m_output;
    QLabel *m_stats;
    QLabel *m_hostStats;
    QString m_provider;
    QString m_model;
    QList<ChatMessage> m_history;
    QString m_pendingPrompt;
};

} // namespace boo
