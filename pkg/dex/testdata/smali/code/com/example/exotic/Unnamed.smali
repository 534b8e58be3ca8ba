.class public Lcom/example/exotic/Unnamed;
.super Ljava/lang/Object;
.source "Unnamed.java"

# Reflection on a member of a class this class never names (the Class comes
# from obj.getClass()): getDeviceId is looked up by name, but nothing says
# whose getDeviceId, so it is not a reflective hit.

.method public static byObjectClass(Ljava/lang/Object;)Ljava/lang/reflect/Method;
    .registers 4
    invoke-virtual {p0}, Ljava/lang/Object;->getClass()Ljava/lang/Class;
    move-result-object v0
    const-string v1, "getDeviceId"
    const/4 v2, 0x0
    invoke-virtual {v0, v1, v2}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;
    move-result-object v0
    return-object v0
.end method
