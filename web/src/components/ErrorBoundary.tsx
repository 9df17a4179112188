// What a view that fails while drawing leaves: a readable message and a way on, never a blank
// page. Cleared when the user goes elsewhere.

import { Component, type ReactNode } from 'react';
import { translate, LangContext } from '../i18n';

interface Props {
  resetKey: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  static contextType = LangContext;
  declare context: React.ContextType<typeof LangContext>;
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(prev: Props) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    const lang = this.context?.lang ?? 'sv';
    return (
      <section className="problem" role="alert" data-problem="client">
        <h1>{translate(lang, 'problem.title')}</h1>
        <p>{translate(lang, 'problem.client')}</p>
        <p className="problem-detail">{this.state.error.message}</p>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            {translate(lang, 'common.retry')}
          </button>{' '}
          <a href="/">{translate(lang, 'common.back')}</a>
        </p>
      </section>
    );
  }
}
