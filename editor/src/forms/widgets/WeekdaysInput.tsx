/** Weekday checkboxes (0 = Sunday) instead of a list of numbers. */
import { useLang } from '../../i18n/language-store';

const NAMES = { en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], 'zh-CN': ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] };

export function WeekdaysInput({ value, onChange, id }: { value: number[] | undefined; onChange(v: number[]): void; id: string }) {
  const lang = useLang();
  const days = value ?? [];
  return (
    <div className="weekdays" data-testid={`weekdays-${id}`}>
      {NAMES[lang].map((name, d) => (
        <label key={d}>
          <input type="checkbox" checked={days.includes(d)} onChange={(e) => onChange(e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d))} />
          {name}
        </label>
      ))}
    </div>
  );
}
