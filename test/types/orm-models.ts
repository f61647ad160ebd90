// Models for the ORM type tests: mutual (User/Address) and self-referential (Node) relationships.
import { column, declarativeBase, ForeignKey, Integer, relationship, String } from "crucible";

export const Base = declarativeBase();

export class User extends Base.model("user_account", {
  id: column(Integer, { primaryKey: true }),
  name: column(String(30)),
  fullname: column(String),
  addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
}) {
  override toString() {
    return `User(id=${this.id}, name=${this.name}, fullname=${this.fullname})`;
  }
}

export class Address extends Base.model("address", {
  id: column(Integer, { primaryKey: true }),
  emailAddress: column(String, { nullable: false }),
  userId: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
  user: relationship.one(() => User, { backPopulates: "addresses" }),
}) {}

export class Node extends Base.model("node", {
  id: column(Integer, { primaryKey: true }),
  parentId: column(Integer, ForeignKey("node.id")),
  data: column(String(50), { nullable: false }),
  parent: relationship.one(() => Node, { backPopulates: "children", nullable: true }),
  children: relationship.many(() => Node, { backPopulates: "parent" }),
}) {
  depth(): number {
    return this.parent ? this.parent.depth() + 1 : 0;
  }
}
