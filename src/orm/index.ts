export { type Aliased, aliased } from "./aliased.js";
export { InstrumentedList } from "./attributes.js";
export {
  type Columns,
  type DeclarativeBase,
  type DeclarativeOptions,
  declarativeBase,
  type InitOf,
  type InstanceOf,
  type ModelClass,
  type ModelOptions,
  type RelationshipAttributes,
  type Shape,
} from "./declarative.js";
export { joinedload, LoaderOption, raiseload, selectinload } from "./loading/options.js";
export { ModelBase } from "./model-base.js";
export { type LazyStrategy, type RelationshipDef, type RelationshipOptions, relationship } from "./relationship.js";
export { RelationshipAttribute } from "./relationship-attribute.js";
export { NestedSessionTransaction } from "./session/nested-transaction.js";
export { Session, type SessionOptions } from "./session/session.js";
