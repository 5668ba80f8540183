import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import {
  type Activity,
  type ActivityLoggedDetail,
  activityFacts,
  activityLoggedEvent,
  kindLabels,
  type SubjectType,
} from '../web/activities.ts';
import { type Display, formatMinute } from '../web/display.ts';
import { island } from '../web/island.tsx';

type Props = { activities: Activity[]; subjectType: SubjectType; subjectId: string; display: Display };

/**
 * A record's activities, newest first. It listens for activities logged on the same page and puts them on top,
 * so logging one needs no reload.
 */
function ActivityTimeline(props: Props) {
  const items = useSignal(props.activities);
  useEffect(() => {
    const onLogged = (event: Event) => {
      const detail = (event as CustomEvent<ActivityLoggedDetail>).detail;
      if (detail.subjectType !== props.subjectType || detail.subjectId !== props.subjectId) return;
      event.preventDefault();
      items.value = [detail.activity, ...items.value.filter((a) => a.id !== detail.activity.id)];
    };
    window.addEventListener(activityLoggedEvent, onLogged);
    return () => window.removeEventListener(activityLoggedEvent, onLogged);
  }, [props.subjectType, props.subjectId]);

  if (items.value.length === 0) {
    return (
      <p class="text-sm text-slate-600" data-testid="timeline-empty">
        No activities yet.
      </p>
    );
  }
  return (
    <ol class="space-y-3" aria-label="Timeline" data-testid="timeline">
      {items.value.map((a) => {
        const facts = activityFacts(a, props.display);
        return (
          <li key={a.id} class="border-l-2 border-indigo-200 pl-3" data-activity-id={a.id}>
            <p class="text-sm">
              <span class="font-medium">{kindLabels[a.type] ?? a.type}</span> · {a.subject}
            </p>
            {facts.length > 0 && <p class="text-sm text-slate-700">{facts.join(' · ')}</p>}
            {a.body && a.body !== a.subject && <p class="whitespace-pre-line text-sm text-slate-700">{a.body}</p>}
            <p class="text-xs text-slate-600">
              <time dateTime={a.createdAt}>{formatMinute(a.createdAt, props.display)}</time>
            </p>
          </li>
        );
      })}
    </ol>
  );
}

export default island('ActivityTimeline', ActivityTimeline);
