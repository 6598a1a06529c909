/** Our widgets plugged into rjsf as fields/widgets (rjsf v6: a field reports changes with its own path). */
import type { FieldProps, RegistryFieldsType, RegistryWidgetsType, WidgetProps } from '@rjsf/utils';
import { DurationInput } from './widgets/DurationInput';
import { PickerInput } from './widgets/PickerInput';
import { RuleBuilder } from './widgets/RuleBuilder';
import { TagsInput } from './widgets/TagsInput';
import { TemplateInput } from './widgets/TemplateInput';
import { WeekdaysInput } from './widgets/WeekdaysInput';
import { formatValue } from './template-locks';
import { usePickerOptions, type PickerOption, type PickerSource } from './picker-options';

export interface FormContext { suggestions: { tags: string[]; channels: string[] }; lockedTitle?: string }

function Title({ props }: { props: FieldProps }) {
  const title = props.schema.title ?? props.name;
  return (
    <div className="field-title">
      <label htmlFor={props.fieldPathId.$id}>{title}{props.required ? ' *' : ''}</label>
      {props.schema.description && <p className="field-description">{props.schema.description}</p>}
    </div>
  );
}

function RulesField(props: FieldProps) {
  return (
    <div className="custom-field">
      <Title props={props} />
      <RuleBuilder value={props.formData} errors={props.errorSchema as Record<string, any>} idPrefix={`rules-${props.name}`}
        onChange={(v) => props.onChange(v, props.fieldPathId.path)} />
    </div>
  );
}

function DurationField(props: FieldProps) {
  return (
    <div className="custom-field">
      <Title props={props} />
      <DurationInput id={props.name} value={props.formData} onChange={(v) => props.onChange(v as never, props.fieldPathId.path)} />
    </div>
  );
}

type PickerUiOptions = { suggestions?: (string | PickerOption)[]; source?: PickerSource };

/** The form's own suggestions for a source: the contacts' tags, or the channels contacts were seen on. */
function knownFor(source: PickerSource | undefined, ctx: FormContext | undefined): string[] {
  if (source === 'tags') return ctx?.suggestions.tags ?? [];
  if (source === 'channel') return ctx?.suggestions.channels ?? [];
  return [];
}

function TagsField(props: FieldProps) {
  const options = (props.uiSchema?.['ui:options'] ?? {}) as PickerUiOptions;
  const ctx = props.registry.formContext as FormContext | undefined;
  const suggestions = usePickerOptions(options.source, [...(options.suggestions ?? []), ...knownFor(options.source, ctx)]);
  return (
    <div className="custom-field">
      <Title props={props} />
      <TagsInput id={props.name} value={props.formData} suggestions={suggestions} invalid={!!props.rawErrors?.length}
        onChange={(v) => props.onChange(v as never, props.fieldPathId.path)} />
    </div>
  );
}

function WeekdaysField(props: FieldProps) {
  return (
    <div className="custom-field">
      <Title props={props} />
      <WeekdaysInput id={props.name} value={props.formData} onChange={(v) => props.onChange(v as never, props.fieldPathId.path)} />
    </div>
  );
}

/** One segment or channel: the API's options to pick from, free text still allowed. */
function PickerWidget(props: WidgetProps) {
  const options = (props.options ?? {}) as PickerUiOptions;
  const ctx = props.registry.formContext as FormContext | undefined;
  const suggestions = usePickerOptions(options.source, [...(options.suggestions ?? []), ...knownFor(options.source, ctx)]);
  return <PickerInput id={props.id} value={props.value} options={suggestions} source={options.source} invalid={!!props.rawErrors?.length} onChange={(v) => props.onChange(v)} />;
}

function TemplateWidget(props: WidgetProps) {
  return <TemplateInput id={props.id} value={props.value} invalid={!!props.rawErrors?.length} onChange={(v) => props.onChange(v)} />;
}

/** A field a node template locks: its value, read-only, with a lock. */
function LockedField(props: FieldProps) {
  const ctx = props.registry.formContext as FormContext | undefined;
  return (
    <div className="custom-field locked-field" data-testid={`locked-field-${props.name}`}>
      <Title props={props} />
      <div className="locked-value" title={ctx?.lockedTitle}>
        <span aria-hidden>🔒</span> <span data-testid={`locked-value-${props.name}`}>{formatValue(props.formData)}</span>
      </div>
    </div>
  );
}

export const customFields: RegistryFieldsType = { rules: RulesField, duration: DurationField, tags: TagsField, weekdays: WeekdaysField, locked: LockedField };
export const customWidgets: RegistryWidgetsType = { template: TemplateWidget, picker: PickerWidget };
