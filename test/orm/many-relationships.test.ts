// A model with more relationships than an object state holds in fields of its own (two): the others live in an
// array. Every path that reads or writes relationship values must treat them alike.
import { column, createEngine, declarativeBase, ForeignKey, Integer, relationship, Session, String, select, selectinload } from "crucible";
import { describe, expect, it } from "vitest";

function models() {
  const Base = declarativeBase();
  class Person extends Base.model("person", {
    id: column(Integer, { primaryKey: true }),
    name: column(String(20), { nullable: false }),
  }) {}
  class Post extends Base.model("post", {
    id: column(Integer, { primaryKey: true }),
    title: column(String(20), { nullable: false }),
    authorId: column(Integer, ForeignKey("person.id"), { nullable: false }),
    editorId: column(Integer, ForeignKey("person.id")),
    reviewerId: column(Integer, ForeignKey("person.id")),
    author: relationship.one(() => Person, { foreignKeys: ["authorId"] }),
    editor: relationship.one(() => Person, { foreignKeys: ["editorId"], nullable: true }),
    reviewer: relationship.one(() => Person, { foreignKeys: ["reviewerId"], nullable: true }),
    comments: relationship.many(() => Comment, { backPopulates: "post", cascade: "all, delete-orphan", orderBy: () => Comment.c.id }),
  }) {}
  class Comment extends Base.model("comment", {
    id: column(Integer, { primaryKey: true }),
    body: column(String(20), { nullable: false }),
    postId: column(Integer, ForeignKey("post.id"), { nullable: false }),
    post: relationship.one(() => Post, { backPopulates: "comments" }),
  }) {}
  return { Base, Person, Post, Comment };
}

describe("a model with four relationships", () => {
  it("sets, flushes, loads, rolls back and expires the third and fourth like the first two", async () => {
    const { Base, Person, Post, Comment } = models();
    const engine = createEngine("sqlite://");
    await Base.metadata.createAll(engine);
    const [ann, bob, cy] = ["ann", "bob", "cy"].map((name) => new Person({ name }));
    await Session.begin(engine, async (s) => {
      s.add(new Post({ title: "t", author: ann, editor: bob, reviewer: cy, comments: [new Comment({ body: "c1" }), new Comment({ body: "c2" })] }));
    });
    const s = new Session(engine);
    const post = (
      await s.scalars(select(Post).options(selectinload(Post.author), selectinload(Post.editor), selectinload(Post.reviewer), selectinload(Post.comments)))
    ).one();
    expect([post.author.name, post.editor?.name, post.reviewer?.name]).toEqual(["ann", "bob", "cy"]);
    expect(post.comments.map((c) => c.body)).toEqual(["c1", "c2"]);
    expect(post.comments[0].post).toBe(post);
    // Change the third and fourth, flush, roll back: the loaded values come back.
    const loadedReviewer = post.reviewer;
    const dan = new Person({ name: "dan" });
    post.reviewer = dan;
    post.comments.push(new Comment({ body: "c3" }));
    const c1 = post.comments[0];
    post.comments.splice(0, 1);
    expect(c1.post).toBeNull();
    // The post changed, and so did the comment taken out of its list (its `post` was cleared).
    expect(new Set(s.dirty)).toEqual(new Set([post, c1]));
    await s.flush();
    expect(await s.scalar(select(Post.c.reviewerId))).toBe(dan.id);
    await s.rollback();
    expect(post.reviewer).toBe(loadedReviewer);
    expect(post.comments.map((c) => c.body)).toEqual(["c1", "c2"]);
    expect(post.reviewerId).toBe(cy.id);
    // Commit a change to the fourth; expire() unloads all four; a reload brings the committed ones.
    post.comments.push(new Comment({ body: "c4" }));
    await s.commit();
    s.expire(post);
    expect(() => post.comments).toThrow(/not loaded/);
    expect(() => post.reviewer).toThrow(/not loaded/);
    await s.load(post, "comments");
    expect(post.comments.map((c) => c.body)).toEqual(["c1", "c2", "c4"]);
    await s.close();
  });
});
